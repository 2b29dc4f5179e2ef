import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's current scrypt recommendation for passwords: N=2^17, r=8, p=1 (128 MiB, ~0.5 s on one core). */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
/**
 * What a stored hash may ask for at most. Parameters are read back from storage, so a tampered or
 * corrupt row must not make one login burn minutes of CPU or gigabytes of memory: above these the
 * hash is refused without deriving anything.
 */
export const SCRYPT_LIMITS = { maxN: 2 ** 20, maxR: 16, maxP: 4, minKeyBytes: 16, maxKeyBytes: 64, minSaltBytes: 8, maxSaltBytes: 64 } as const;
const KEY_LENGTH = 32;

interface StoredParams {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function maxmemFor(N: number, r: number, p: number): number {
  // scrypt needs 128·N·r bytes (plus 128·r·p); leave room so Node does not refuse a valid hash.
  return 128 * N * r + 128 * r * p + 32 * 1024 * 1024;
}

function derive(secret: string, salt: Buffer, keyLength: number, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: maxmemFor(N, r, p) };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 1 && (value & (value - 1)) === 0;
}

/** `scrypt$N$r$p$salt$hash` parsed, or null when malformed or beyond SCRYPT_LIMITS. */
export function parseStoredHash(stored: string): StoredParams | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((text) => /^[0-9]{1,8}$/.test(text))) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!isPowerOfTwo(params.N) || params.N > SCRYPT_LIMITS.maxN) return null;
  if (params.r < 1 || params.r > SCRYPT_LIMITS.maxR || params.p < 1 || params.p > SCRYPT_LIMITS.maxP) return null;
  const saltBytes = Buffer.from(salt, 'base64url');
  const hashBytes = Buffer.from(hash, 'base64url');
  if (saltBytes.length < SCRYPT_LIMITS.minSaltBytes || saltBytes.length > SCRYPT_LIMITS.maxSaltBytes) return null;
  if (hashBytes.length < SCRYPT_LIMITS.minKeyBytes || hashBytes.length > SCRYPT_LIMITS.maxKeyBytes) return null;
  return { ...params, salt: saltBytes, hash: hashBytes };
}

/** `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking stored hashes. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await derive(secret, salt, KEY_LENGTH, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export interface Verification {
  valid: boolean;
  /** The hash is valid but weaker than SCRYPT_PARAMS: store a new one while the secret is at hand. */
  needsRehash: boolean;
}

/** Checks a secret against its stored hash; a malformed or over-limit hash is refused without deriving. */
export async function checkSecret(secret: string, stored: string): Promise<Verification> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return { valid: false, needsRehash: false };
  const key = await derive(secret, parsed.salt, parsed.hash.length, parsed.N, parsed.r, parsed.p);
  const valid = key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
  const weaker = parsed.N < SCRYPT_PARAMS.N || parsed.r < SCRYPT_PARAMS.r || parsed.p < SCRYPT_PARAMS.p || parsed.hash.length < KEY_LENGTH;
  return { valid, needsRehash: valid && weaker };
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  return (await checkSecret(secret, stored)).valid;
}

/** Random bearer secrets (tokens, device keys) are long enough that a plain SHA-256 is a safe stored form. */
export function newRandomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Two hex digests compared in constant time; a missing or malformed stored one never matches. */
export function digestsEqual(actualHex: string, expectedHex: string | null | undefined): boolean {
  const actual = Buffer.from(actualHex, 'hex');
  const expected = Buffer.from(expectedHex ?? '', 'hex');
  if (actual.length === 0 || expected.length !== actual.length) return false;
  return timingSafeEqual(actual, expected);
}

/** Whether `secret` hashes to the stored SHA-256 `expectedDigest` (device keys), compared in constant time. */
export function digestMatches(secret: string, expectedDigest: string | null | undefined): boolean {
  return digestsEqual(digest(secret), expectedDigest);
}

/** Constant-time equality of two short strings (setup and metrics tokens). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * A password check costs the same whether or not the user exists (no user enumeration by timing):
 * an unknown user is checked against this hash of a random secret nobody kept, at the current
 * parameters. A constant, so no request and no start pays for making it.
 */
export const DUMMY_HASH = 'scrypt$131072$8$1$4FBRlhnnbvrPP_9kBRw3pQ$o02f-bvzwY9uQFShWfSMMnlFGb1j4v-M5jhwuh58OhE';
