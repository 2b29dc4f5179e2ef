/**
 * The app's own pages are served from `app://balcao/` (see protocol.ts). Every guard (navigation,
 * IPC sender, permissions) asks this one question, so it lives in one pure function.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'balcao';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const DEEP_LINK_SCHEME = 'balcao';

export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    // Compare parsed parts, never a string prefix: `app://balcao.evil/` must not pass.
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/** Links the app may hand to the operating system (system browser, design software's web app). */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
