import { app, session, shell } from 'electron';
import { isExternalWebUrl } from './app-url.ts';
import { mayGrantPermission, mayNavigate } from './security-policy.ts';

/**
 * Applies the policy of security-policy.ts to every web contents the app ever creates: no
 * navigation away from the app, no new windows (web links go to the system browser), no
 * <webview>, no developer tools in an installed app, and no web permission but notifications.
 */
export function hardenWebContents(packaged: boolean): void {
  app.on('web-contents-created', (_event, contents) => {
    // webPreferences.devTools is off when packaged; should anything open them anyway, they close at once.
    if (packaged) contents.on('devtools-opened', () => contents.closeDevTools());
    contents.on('will-navigate', (event) => {
      if (!mayNavigate(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!mayNavigate(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalWebUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function restrictPermissions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(mayGrantPermission(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => mayGrantPermission(permission, requestingOrigin));
}
