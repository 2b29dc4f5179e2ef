import { serverOrigin, type DeviceSettings } from '../renderer/bridge/types.ts';

/**
 * The Content-Security-Policy of the built UI, sent as a response header by the app:// protocol and
 * by the web host (build/web-host.ts). The <meta> policy build/vite.renderer.config.ts writes into
 * index.html cannot know the server, so it allows any http(s) host; the browser enforces both, so
 * this header is what narrows `connect-src` to the one server the UI talks to.
 */
const FIXED_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine injects CSS variables through <style> tags.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
] as const;

/** The same loopback server under both of its usual names, so `localhost:4010` and `127.0.0.1:4010` both work. */
function withLoopbackTwin(origin: string): string[] {
  const url = new URL(origin);
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
  if (!twin) return [origin];
  url.hostname = twin;
  return [origin, url.origin];
}

/** The origin of a stored server address; a value an earlier version stored with a path counts by its origin. */
function originOf(server: string): string | null {
  let text = server;
  try {
    const url = new URL(server);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password) text = url.origin;
  } catch {
    // Not absolute: serverOrigin reads it as typed.
  }
  return serverOrigin(text)?.origin ?? null;
}

/**
 * `servers`: the origins the UI may call (the API server and its event stream). `null` means none is
 * configured yet — a station being set up must reach whatever address is typed in, so any http(s)
 * host. Whatever is not a clean http(s) origin is left out (a settings value never writes policy text).
 */
export function contentSecurityPolicy(servers: readonly string[] | null): string {
  const origins = (servers ?? []).flatMap((server) => {
    const origin = originOf(server);
    return origin ? withLoopbackTwin(origin) : [];
  });
  const connect = ["connect-src 'self'", ...(servers === null ? ['http:', 'https:'] : new Set(origins))].join(' ');
  return [...FIXED_DIRECTIVES, connect].join('; ');
}

/** The server a paired station talks to; none while the station is not paired (the setup screen). */
export function pairedServers(settings: Pick<DeviceSettings, 'serverUrl' | 'stationId'>): string[] | null {
  return settings.serverUrl && settings.stationId ? [settings.serverUrl] : null;
}
