import { randomInt } from 'node:crypto';
import { digest } from './secrets.ts';

/** No 0/O or 1/I: codes are read off a screen and typed at a till. 32 symbols, 5 bits each. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A random one-time code such as `K7QM-3XH9-PA2D` (12 symbols, 60 bits). */
export function newOneTimeCode(groups = 3): string {
  const parts: string[] = [];
  for (let group = 0; group < groups; group += 1) {
    let part = '';
    for (let index = 0; index < 4; index += 1) part += ALPHABET[randomInt(ALPHABET.length)];
    parts.push(part);
  }
  return parts.join('-');
}

/** Case, spaces and dashes do not matter when a code is typed. */
export function normalizeCode(code: string): string {
  return code.normalize('NFKC').toUpperCase().replace(/[\s-]+/g, '');
}

/**
 * Stored form of a pairing code. Codes are random (60 bits), single-use and expire within days, so
 * a SHA-256 of the normalised code is enough; it also keeps a pairing attempt cheap.
 */
export function pairingCodeHash(code: string): string {
  return digest(`pairing:${normalizeCode(code)}`);
}
