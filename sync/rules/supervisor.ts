import type { MasterRecord, SupervisorCodeHash } from '../schema/index.ts';

/**
 * Supervisor authorisation at the station (POS-20), also offline.
 *
 * A supervisor is a user an admin gave a supervisor code (a master record of kind `supervisor`, id
 * `supervisor-<userId>`). The station holds only PBKDF2-SHA256(code, salt) with a random 16-byte salt per
 * record and SUPERVISOR_CODE_ITERATIONS rounds, never the code: the code is typed at the station and
 * hashed there with the same parameters, then compared in constant time. The server computes the hash
 * once, when the admin sets the code, and forgets the code.
 *
 * Why a hash on the device is acceptable: the station must decide offline, so it needs something to
 * check against. A salted, slow hash means a copied station database gives no code directly and every
 * guess costs the iterations; codes are at least 6 digits and the admin replaces or revokes them at any
 * time (a revoked record reaches stations with the next pull). The server trusts no authorisation
 * blindly: it checks that the supervisor named in a sale is a supervisor record of that store.
 */
export const SUPERVISOR_CODE_ITERATIONS = 120_000;

/** The master-record id of a user's supervisor code. */
export function supervisorRecordId(userId: string): string {
  return `supervisor-${userId}`;
}

/** 6 to 12 digits. */
export function isValidSupervisorCode(code: string): boolean {
  return /^\d{6,12}$/.test(code);
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let index = 0; index < raw.length; index++) bytes[index] = raw.charCodeAt(index);
  return bytes;
}

async function derive(code: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(code), 'PBKDF2', false, ['deriveBits']);
  const bits = await globalThis.crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** A new salted hash of `code` (throws RangeError when the code is not 6–12 digits). */
export async function hashSupervisorCode(code: string, iterations = SUPERVISOR_CODE_ITERATIONS): Promise<SupervisorCodeHash> {
  if (!isValidSupervisorCode(code)) throw new RangeError('A supervisor code has 6 to 12 digits.');
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return { iterations, salt: toBase64(salt), hash: toBase64(await derive(code, salt, iterations)) };
}

/** True when `code` is the code of this supervisor record (active, of kind supervisor). */
export async function verifySupervisorCode(code: string, record: MasterRecord | undefined): Promise<boolean> {
  if (!record || record.kind !== 'supervisor' || !record.active || !record.codeHash || !isValidSupervisorCode(code)) return false;
  const expected = fromBase64(record.codeHash.hash);
  const actual = await derive(code, fromBase64(record.codeHash.salt), record.codeHash.iterations);
  if (expected.length !== actual.length) return false;
  let difference = 0;
  for (let index = 0; index < actual.length; index++) difference |= actual[index]! ^ expected[index]!;
  return difference === 0;
}

/** The supervisor whose code this is, among the records the station holds (each tried: codes are not unique keys). */
export async function findSupervisorByCode(code: string, records: Iterable<MasterRecord>): Promise<MasterRecord | undefined> {
  for (const record of records) if (await verifySupervisorCode(code, record)) return record;
  return undefined;
}
