import { Menu, Tray, nativeImage } from 'electron';
import type { SyncTrayState } from '../renderer/bridge/types.ts';
import { trayBitmap, trayTooltip } from './tray-icon.ts';

export interface SyncTray {
  update(state: SyncTrayState, pendingUploads: number, language: 'pt-BR' | 'en'): void;
  destroy(): void;
}

function icon(state: SyncTrayState) {
  return nativeImage.createFromBitmap(trayBitmap(state, 16), { width: 16, height: 16 });
}

/** The tray mirrors the sync state the renderer reports (colour + tooltip) and reopens the window. */
export function createSyncTray(actions: { show(): void; quit(): void }, language: 'pt-BR' | 'en'): SyncTray {
  const tray = new Tray(icon('offline'));
  const menu = (lang: 'pt-BR' | 'en') =>
    Menu.buildFromTemplate([
      { label: lang === 'en' ? 'Open Balcão' : 'Abrir o Balcão', click: actions.show },
      { type: 'separator' },
      { label: lang === 'en' ? 'Quit' : 'Sair', click: actions.quit },
    ]);
  tray.setToolTip(trayTooltip('offline', 0, language));
  tray.setContextMenu(menu(language));
  tray.on('click', actions.show);
  let last = '';
  return {
    update(state, pendingUploads, lang) {
      const key = `${state}|${pendingUploads}|${lang}`;
      if (key === last) return;
      const languageChanged = !last.endsWith(`|${lang}`);
      last = key;
      tray.setImage(icon(state));
      tray.setToolTip(trayTooltip(state, pendingUploads, lang));
      if (languageChanged) tray.setContextMenu(menu(lang));
    },
    destroy: () => tray.destroy(),
  };
}
