import { notifications } from '@mantine/notifications';

/** The toast each channel shows now (Mantine's notification id), so the next one replaces it. */
const shown = new Map<string, string>();

/**
 * Shows a short message in the corner (Mantine notifications), replacing the one the same `channel`
 * still shows: repeated actions on one screen (send a test five times, revoke, retry) leave one toast
 * with the latest outcome instead of a pile. Use one channel per screen or kind of message, e.g.
 * 'admin-webhooks'. `options` passes a title or a display time (ms) on. App.tsx also caps how many toasts show at once (the rest wait their turn).
 */
export function toast(channel: string, message: string, color: 'green' | 'teal' | 'red' | 'yellow' | 'orange' = 'green', options: { title?: string; autoClose?: number } = {}): string {
  const previous = shown.get(channel);
  if (previous !== undefined) notifications.hide(previous);
  const id = notifications.show({ message, color, ...options, onClose: () => shown.get(channel) === id && shown.delete(channel) });
  shown.set(channel, id);
  return id;
}
