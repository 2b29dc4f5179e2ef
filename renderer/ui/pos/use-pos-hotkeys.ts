import { useEffect } from 'react';
import { TEST_IDS } from '../../test-ids.ts';
import type { PosPage } from './PosNav.tsx';

/** F-keys that work on every POS screen; the sale screen's own (F2, F4, F6, F8, F9) stay with it. */
const PAGE_KEYS: Partial<Record<string, PosPage>> = { F1: 'sale', F3: 'cancelSale', F7: 'exchange' };

/** The key that opens a page, shown next to it in the menu. */
export function hotkeyOf(page: PosPage): string | undefined {
  return Object.keys(PAGE_KEYS).find((key) => PAGE_KEYS[key] === page);
}

/**
 * F1 sale, F3 cancel a sale, F7 exchange, F10 send now. A dialog (payment step, receipt) owns the
 * keyboard while open. F10 presses the header's "Send now" button, so its progress and messages stay in one place.
 */
export function usePosHotkeys(pages: readonly PosPage[], onOpen: (page: PosPage) => void): void {
  const available = pages.join(',');
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('[role="dialog"]')) return;
      const page = PAGE_KEYS[event.key];
      if (page && available.split(',').includes(page)) {
        event.preventDefault();
        onOpen(page);
      } else if (event.key === 'F10') {
        event.preventDefault();
        document.querySelector<HTMLButtonElement>(`[data-testid="${TEST_IDS.shell.sendNow}"]:not(:disabled)`)?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [available, onOpen]);
}
