import { extname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Maps a request for the app's pages to a file inside the built renderer, or null when the path
 * would leave that folder. Paths without an extension are app routes and get index.html.
 * Shared by the app:// protocol and the web host, so both serve exactly the same files.
 */
export function resolveAppFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relativePath = decoded.replace(/^\/+/, '');
  if (relativePath === '' || extname(relativePath) === '') return join(resolve(root), 'index.html');
  const base = resolve(root);
  const file = resolve(base, relativePath);
  const inside = relative(base, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}
