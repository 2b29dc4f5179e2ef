import { DEEP_LINK_SCHEME } from './app-url.ts';

/** The `balcao://…` link a second instance (Windows/Linux) was started with, if any. */
export function findDeepLink(argv: readonly string[]): string | null {
  const prefix = `${DEEP_LINK_SCHEME}://`;
  return argv.find((arg) => arg.toLowerCase().startsWith(prefix)) ?? null;
}

/** Only well-formed `balcao://design/...` links reach the page; the page validates the rest. */
export function deepLinkForPage(link: string | null): string | null {
  if (!link || link.length > 2048) return null;
  try {
    const parsed = new URL(link);
    return parsed.protocol === `${DEEP_LINK_SCHEME}:` && parsed.host === 'design' ? parsed.href : null;
  } catch {
    return null;
  }
}
