import { Notification } from 'electron';

/** Some Linux notification daemons never report a close: give up waiting after this long. */
const GIVE_UP_MS = 10 * 60_000;
// Electron drops click events of notifications that were garbage-collected: keep them referenced.
const live = new Set<Notification>();

/** Shows a native notification; resolves true when the user clicked it (and then focuses the app). */
export function showNotification(title: string, body: string, onClick: () => void): Promise<boolean> {
  if (!Notification.isSupported()) return Promise.resolve(false);
  const notification = new Notification({ title, body });
  live.add(notification);
  return new Promise<boolean>((resolve) => {
    const finish = (clicked: boolean) => {
      clearTimeout(timer);
      live.delete(notification);
      resolve(clicked);
    };
    const timer = setTimeout(() => finish(false), GIVE_UP_MS);
    notification.once('click', () => {
      onClick();
      finish(true);
    });
    notification.once('close', () => finish(false));
    notification.once('failed', () => finish(false));
    notification.show();
  });
}
