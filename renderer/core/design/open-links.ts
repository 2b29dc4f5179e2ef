/**
 * What a `balcao://design/…` link asks to show (DES-06: "Negotiate" in the design software opens the
 * store system at the environment while it is not converted, at the review once it is). The server
 * writes these links (sync/server/design/events.ts); anything else is ignored, never guessed at.
 */
export type DesignLinkTarget = { kind: 'environment'; environmentId: string } | { kind: 'review'; projectId: string };

export function designLinkTarget(link: string): DesignLinkTarget | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'balcao:' || url.host !== 'design') return null;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 2 && parts[0] === 'environments' && parts[1]) return { kind: 'environment', environmentId: parts[1] };
  if (parts.length === 3 && parts[0] === 'projects' && parts[1] && parts[2] === 'review') return { kind: 'review', projectId: parts[1] };
  return null;
}
