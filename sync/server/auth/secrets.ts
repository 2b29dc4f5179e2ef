import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: N (a power of two) × r × p sets the work and N × r the memory (128·N·r bytes). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's current scrypt recommendation for passwords: N=2^17, r=8, p=1 (128 MiB, ~0.5 s on one core). */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
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

/**
 * The cheapest scrypt cost a server may be given (StartOptions.passwordHashing): 2^10 × 8 × 1, about
 * 1 ms. Only test suites go below SCRYPT_PARAMS, as Django's and Rails' test settings lower their
 * hashers' cost; a production server never takes the option from its environment.
 */
export const SCRYPT_TEST_FLOOR: Readonly<ScryptParams> = { N: 2 ** 10, r: 8, p: 1 };

/**
 * `params` when a server may hash passwords with them: N a power of two from SCRYPT_TEST_FLOOR.N to
 * SCRYPT_LIMITS.maxN, r and p from the floor's to SCRYPT_LIMITS' (else an Error naming the bound).
 */
export function checkedScryptParams(params: ScryptParams): ScryptParams {
  const { N, r, p } = params;
  if (!isPowerOfTwo(N) || N < SCRYPT_TEST_FLOOR.N || N > SCRYPT_LIMITS.maxN) throw new Error(`scrypt N must be a power of two from ${SCRYPT_TEST_FLOOR.N} to ${SCRYPT_LIMITS.maxN}, not ${N}.`);
  if (!Number.isInteger(r) || r < SCRYPT_TEST_FLOOR.r || r > SCRYPT_LIMITS.maxR) throw new Error(`scrypt r must be an integer from ${SCRYPT_TEST_FLOOR.r} to ${SCRYPT_LIMITS.maxR}, not ${r}.`);
  if (!Number.isInteger(p) || p < SCRYPT_TEST_FLOOR.p || p > SCRYPT_LIMITS.maxP) throw new Error(`scrypt p must be an integer from ${SCRYPT_TEST_FLOOR.p} to ${SCRYPT_LIMITS.maxP}, not ${p}.`);
  return { N, r, p };
}

/**
 * `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking stored hashes.
 * `params`: the cost, SCRYPT_PARAMS unless the server was given another (tests).
 */
export async function hashSecret(secret: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = params;
  const key = await derive(secret, salt, KEY_LENGTH, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export interface Verification {
  valid: boolean;
  /** The hash is valid but weaker than the server's parameters: store a new one while the secret is at hand. */
  needsRehash: boolean;
}

/**
 * Checks a secret against its stored hash; a malformed or over-limit hash is refused without deriving.
 * `params`: the server's cost (SCRYPT_PARAMS unless given another), below which a valid hash needs a rehash.
 */
export async function checkSecret(secret: string, stored: string, params: ScryptParams = SCRYPT_PARAMS): Promise<Verification> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return { valid: false, needsRehash: false };
  const key = await derive(secret, parsed.salt, parsed.hash.length, parsed.N, parsed.r, parsed.p);
  const valid = key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
  const weaker = parsed.N < params.N || parsed.r < params.r || parsed.p < params.p || parsed.hash.length < KEY_LENGTH;
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

const dummyHashes = new Map<string, Promise<string>>();

/**
 * DUMMY_HASH's counterpart at `params` (a server given another cost checks unknown users at that cost,
 * so timing still tells nothing): made once per cost, of a random secret nobody kept.
 */
export function dummyHashFor(params: ScryptParams): Promise<string> {
  if (params.N === SCRYPT_PARAMS.N && params.r === SCRYPT_PARAMS.r && params.p === SCRYPT_PARAMS.p) return Promise.resolve(DUMMY_HASH);
  const key = `${params.N}$${params.r}$${params.p}`;
  let made = dummyHashes.get(key);
  if (!made) dummyHashes.set(key, (made = hashSecret(newRandomSecret(), params)));
  return made;
}
