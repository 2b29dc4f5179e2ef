/**
 * A warning about an accepted write, as an HTTP `Warning` header (RFC 7234 §5.5, warn-code 299
 * "miscellaneous persistent warning", agent `-`; the form Kubernetes' API uses for its warnings): the
 * write succeeded, and something in it deserves a second look (an implausible quantity, BO-04).
 * Header values are latin-1 at best and many clients read them as ASCII: the text is folded to
 * printable ASCII (accents dropped, any other character `?`), and quotes and backslashes are escaped
 * for the quoted-string. Answers the header, ready for `reply.headers`.
 */
export function warningHeader(message: string): { warning: string } {
  const ascii = message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/["\\]/g, (char) => `\\${char}`)
    .trim();
  return { warning: `299 - "${ascii}"` };
}
