import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Both directions between the store system and the design portal are signed the same way:
 * `x-balcao-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>`.
 * The timestamp is inside the signed text, so an old captured request cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'x-balcao-signature';
export const ACCOUNT_HEADER = 'x-balcao-account';
/** How far a signature's clock may be from ours, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export function signatureHeader(secret: string, rawBody: string, now = Date.now()): string {
  const timestamp = Math.floor(now / 1000);
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, rawBody)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; message: string };

export function verifySignature(secret: string, header: string | undefined, rawBody: string, now = Date.now()): SignatureCheck {
  if (!header) return { ok: false, message: `The ${SIGNATURE_HEADER} header is missing. Sign the request: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>.` };
  const parts = new Map(header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  }));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/i.test(given)) {
    return { ok: false, message: `The ${SIGNATURE_HEADER} header is malformed. Send t=<unix seconds>,v1=<64 hex digits>.` };
  }
  if (Math.abs(now / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, message: `The signature's timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes away from the server's clock. Check the sender's clock and sign the request again.` };
  }
  const expected = Buffer.from(signatureOf(secret, timestamp, rawBody), 'hex');
  const actual = Buffer.from(given, 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, message: 'The signature does not match the body. Sign the exact bytes sent with the account\'s current secret.' };
  }
  return { ok: true };
}
