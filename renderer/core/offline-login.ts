/**
 * Offline login: after a successful online login the device keeps a PBKDF2 verifier of the password
 * (never the password) with who the user is, so the same user can reopen the till while the server is
 * unreachable. The session token is never part of it: the record sits in plain localStorage, where
 * anyone who copies the profile or runs a script in the page could read it. Pure WebCrypto, no DOM:
 * it runs in Node tests as in the browser.
 */
import type { LoginResponse } from '../../sync/schema/index.ts';

/** The login answer without its secret: what an offline session may know of the user. */
export type OfflineProfile = Omit<LoginResponse, 'token'>;

export interface PasswordVerifier {
  algorithm: 'PBKDF2-SHA256';
  iterations: number;
  salt: string;
  hash: string;
}

/** What the device remembers of one user's last online login on one server + store. */
export interface OfflineSessionRecord {
  serverUrl: string;
  storeCode: string;
  userCode: string;
  verifier: PasswordVerifier;
  session: OfflineProfile;
  savedAt: string;
}

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto is unavailable (the page must be served over https or from localhost).');
  const key = await subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function createVerifier(password: string, iterations = DEFAULT_ITERATIONS): Promise<PasswordVerifier> {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return { algorithm: 'PBKDF2-SHA256', iterations, salt: toBase64(salt), hash: toBase64(hash) };
}

/** Compares in constant time so the comparison itself leaks nothing about the stored hash. */
export async function verifyPassword(password: string, verifier: PasswordVerifier): Promise<boolean> {
  if (verifier.algorithm !== 'PBKDF2-SHA256') return false;
  const expected = fromBase64(verifier.hash);
  const actual = await derive(password, fromBase64(verifier.salt), verifier.iterations);
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ expected[i]!;
  return diff === 0;
}

/** Key-value storage the records live in (localStorage in the browser, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Present on localStorage (and the tests' Storage stand-in): lets old records be found and cleaned. */
  readonly length?: number;
  key?(index: number): string | null;
}

/** The login answer minus the token, whatever else a (possibly older) record carried. */
export function withoutToken(session: LoginResponse | OfflineProfile): OfflineProfile {
  const { token: _token, ...profile } = session as LoginResponse;
  return profile;
}

const PREFIX = 'balcao.offline-login.';

function recordKey(serverUrl: string, storeCode: string, userCode: string): string {
  return PREFIX + JSON.stringify([serverUrl, storeCode.toLowerCase(), userCode.toLowerCase()]);
}

export type OfflineLoginResult =
  | { ok: true; record: OfflineSessionRecord }
  | { ok: false; reason: 'never_logged_in' | 'wrong_password' };

export class OfflineLoginStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly iterations = DEFAULT_ITERATIONS,
  ) {}

  /** Called after every successful online login: refreshes the verifier and who the user is (never the token). */
  async remember(serverUrl: string, storeCode: string, userCode: string, password: string, session: LoginResponse | OfflineProfile): Promise<void> {
    const record: OfflineSessionRecord = {
      serverUrl,
      storeCode,
      userCode,
      verifier: await createVerifier(password, this.iterations),
      session: withoutToken(session),
      savedAt: new Date().toISOString(),
    };
    this.storage.setItem(recordKey(serverUrl, storeCode, userCode), JSON.stringify(record));
  }

  async verify(serverUrl: string, storeCode: string, userCode: string, password: string): Promise<OfflineLoginResult> {
    const raw = this.storage.getItem(recordKey(serverUrl, storeCode, userCode));
    if (!raw) return { ok: false, reason: 'never_logged_in' };
    let record: OfflineSessionRecord;
    try {
      record = JSON.parse(raw) as OfflineSessionRecord;
    } catch {
      return { ok: false, reason: 'never_logged_in' };
    }
    if (!(await verifyPassword(password, record.verifier))) return { ok: false, reason: 'wrong_password' };
    return { ok: true, record: { ...record, session: withoutToken(record.session) } };
  }

  /**
   * Earlier versions kept the whole login answer, token included, in every record. Run at every
   * start: rewrites such records without the token and returns how many it cleaned.
   */
  scrubTokens(): number {
    const keys: string[] = [];
    for (let index = 0; index < (this.storage.length ?? 0); index++) {
      const key = this.storage.key?.(index);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    let cleaned = 0;
    for (const key of keys) {
      const raw = this.storage.getItem(key);
      let record: OfflineSessionRecord;
      try {
        record = JSON.parse(raw ?? '') as OfflineSessionRecord;
      } catch {
        // Unreadable: it cannot open a session anyway, and it might hold a token in clear.
        this.storage.removeItem(key);
        cleaned++;
        continue;
      }
      if (typeof record !== 'object' || record === null || typeof record.session !== 'object' || record.session === null || !('token' in record.session)) continue;
      this.storage.setItem(key, JSON.stringify({ ...record, session: withoutToken(record.session) }));
      cleaned++;
    }
    return cleaned;
  }

  /** The server refused this user's credentials: the old verifier must not open the till any more. */
  forget(serverUrl: string, storeCode: string, userCode: string): void {
    this.storage.removeItem(recordKey(serverUrl, storeCode, userCode));
  }
}
