import { cleanNotifications, cleanNotificationsQueue, notificationsStore } from '@mantine/notifications';
import { afterEach, describe, expect, it } from 'vitest';
import { toast } from '../../renderer/ui/toast.ts';

/**
 * Toasts do not pile up (renderer/ui/toast.ts): a screen's next toast replaces the one it still shows,
 * read from Mantine's own notification store (what <Notifications> renders, shown and queued).
 */
describe('toast', () => {
  const all = () => {
    const state = notificationsStore.getState();
    return [...state.notifications, ...state.queue].map((item) => String(item.message));
  };
  afterEach(() => {
    cleanNotifications();
    cleanNotificationsQueue();
  });

  it('a repeated action on one screen leaves one toast, with the latest outcome', () => {
    toast('admin-webhooks', 'Evento de teste na fila.');
    toast('admin-webhooks', 'Evento de teste na fila.');
    toast('admin-webhooks', 'O servidor recusou: …', 'red');
    expect(all()).toEqual(['O servidor recusou: …']);
    expect(notificationsStore.getState().notifications[0]?.color).toBe('red');
  });

  it('two screens keep one toast each; a closed toast is not replaced again', () => {
    const first = toast('admin-api-keys', 'Chave revogada.');
    toast('admin-sandbox', 'Sandbox reiniciada.');
    expect(all().sort()).toEqual(['Chave revogada.', 'Sandbox reiniciada.']);
    cleanNotifications();
    const next = toast('admin-api-keys', 'Chave revogada.');
    expect(next).not.toBe(first);
    expect(all()).toEqual(['Chave revogada.']);
  });
});
