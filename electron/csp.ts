/**
 * The Content-Security-Policy of the built UI, sent as a response header by the app:// protocol and
 * by the web host (build/web-host.ts). It matches the <meta> policy that build/vite.renderer.config.ts
 * writes into index.html; the header also covers responses a meta tag cannot (workers, non-HTML).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine injects CSS variables through <style> tags.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // The central server's address is typed in at setup, so any http(s) host (and its SSE stream) is allowed.
  "connect-src 'self' http: https:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
