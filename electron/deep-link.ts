import { DEEP_LINK_SCHEME } from './app-url.ts';

/** The `balcao://…` link a second instance (Windows/Linux) was started with, if any. */
export function findDeepLink(argv: readonly string[]): string | null {
  const prefix = `${DEEP_LINK_SCHEME}://`;
  return argv.find((arg) => arg.toLowerCase().startsWith(prefix)) ?? null;
}
