import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialGuard } from '../../sync/server/auth/attempts.ts';
import { newOneTimeCode, normalizeCode, pairingCodeHash } from '../../sync/server/auth/codes.ts';
import { checkedScryptParams, checkSecret, digest, digestMatches, DUMMY_HASH, dummyHashFor, hashSecret, parseStoredHash, SCRYPT_PARAMS, SCRYPT_TEST_FLOOR } from '../../sync/server/auth/secrets.ts';
import { LiveSessions, type Session } from '../../sync/server/auth/sessions.ts';
import type { Database } from '../../sync/server/db/database.ts';
import { DEMO_PASSWORD_HASHES, DEMO_STORES } from '../../sync/server/seed/demo-data.ts';
import type { Role } from '../../sync/schema/index.ts';

describe('credential guard', () => {
  const limits = { failuresPerMinute: 3, failuresPerAddressPerMinute: 5, accountsPerPasswordPerMinute: 3 };

  it('locks an account after its failures from any addresses, for the rest of the minute only', () => {
    let now = 1_000_000;
    const guard = new CredentialGuard(limits, () => now);
    const attempt = (address: string) => ({ subjects: ['account:loja1|caixa'], address, secret: `guess-${address}`, account: 'loja1|caixa' });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect(guard.refusal(attempt(address))).toBeNull();
      guard.failed(attempt(address));
    }
    expect(guard.refusal(attempt('10.0.0.4'))).toBe(60);
    expect(guard.refusal({ subjects: ['account:loja1|admin'], address: '10.0.0.4' })).toBeNull();
    now += 30_000;
    expect(guard.refusal(attempt('10.0.0.4'))).toBe(30);
    now += 30_001;
    expect(guard.refusal(attempt('10.0.0.4'))).toBeNull();
  });

  it('refuses one password across many accounts, without locking those accounts for other passwords', () => {
    const guard = new CredentialGuard(limits, () => 5_000);
    for (const [index, account] of ['a', 'b', 'c'].entries()) guard.failed({ subjects: [`account:${account}`], address: `10.1.0.${index}`, secret: 'Verao2026!', account });
    expect(guard.refusal({ subjects: ['account:d'], address: '10.1.0.9', secret: 'Verao2026!', account: 'd' })).toBe(60);
    expect(guard.refusal({ subjects: ['account:d'], address: '10.1.0.9', secret: 'd-own-password', account: 'd' })).toBeNull();
    // The same account failing again with one password is not spraying.
    const other = new CredentialGuard(limits, () => 5_000);
    for (let index = 0; index < 2; index += 1) other.failed({ subjects: ['account:a'], address: '10.2.0.1', secret: 'x', account: 'a' });
    expect(other.refusal({ subjects: ['account:b'], address: '10.2.0.2', secret: 'x', account: 'b' })).toBeNull();
  });

  it('limits one address across accounts', () => {
    const guard = new CredentialGuard(limits, () => 0);
    for (let index = 0; index < 5; index += 1) guard.failed({ subjects: [`account:u${index}`], address: '10.3.0.1' });
    expect(guard.refusal({ subjects: ['account:fresh'], address: '10.3.0.1' })).toBe(60);
    expect(guard.refusal({ subjects: ['account:fresh'], address: '10.3.0.2' })).toBeNull();
  });
});

describe('secrets', () => {
  it('hashes with the current OWASP scrypt parameters and verifies', async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const stored = await hashSecret('uma senha');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await checkSecret('uma senha', stored)).toEqual({ valid: true, needsRehash: false });
    expect(await checkSecret('outra', stored)).toEqual({ valid: false, needsRehash: false });
    // Unknown users are checked against a hash of the same cost.
    expect(parseStoredHash(DUMMY_HASH)).toMatchObject(SCRYPT_PARAMS);
  }, 60_000);

  it('a server given a lower cost (test suites only) hashes at it, asks no rehash of its own hashes, and still upgrades weaker ones', async () => {
    const cheap = { N: 2 ** 11, r: 8, p: 1 };
    const stored = await hashSecret('uma senha', cheap);
    expect(stored).toMatch(/^scrypt\$2048\$8\$1\$/);
    expect(await checkSecret('uma senha', stored, cheap)).toEqual({ valid: true, needsRehash: false });
    // The same hash is weaker than the production cost, and than a stricter test cost.
    expect(await checkSecret('uma senha', stored)).toEqual({ valid: true, needsRehash: true });
    expect(await checkSecret('uma senha', await hashSecret('uma senha', SCRYPT_TEST_FLOOR), cheap)).toEqual({ valid: true, needsRehash: true });
    // Unknown users are checked against a hash of the server's own cost, made once.
    expect(parseStoredHash(await dummyHashFor(cheap))).toMatchObject(cheap);
    expect(await dummyHashFor(cheap)).toBe(await dummyHashFor({ ...cheap }));
    expect(await dummyHashFor({ ...SCRYPT_PARAMS })).toBe(DUMMY_HASH);
  });

  it('no shipped entry point lowers the cost: only start.ts sets passwordHashing, from an explicit option', () => {
    const setters = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(ts|tsx|mjs|cjs|js)$/.test(file))
        // A value given to passwordHashing, not its type (ServerContext declares `passwordHashing: ScryptParams`).
        .filter((file) => /passwordHashing\s*(=|:(?!\s*ScryptParams\b))/.test(readFileSync(join(dir, file), 'utf8')))
        .map((file) => join(dir, file).replaceAll('\\', '/'));
    const shipped = ['sync', 'renderer', 'electron', 'build'].filter((dir) => existsSync(dir)).flatMap(setters);
    expect(shipped).toEqual(['sync/server/node/start.ts']);
    expect(readFileSync('sync/server/node/start.ts', 'utf8')).toMatch(/passwordHashing: options\.passwordHashing \? checkedScryptParams\(options\.passwordHashing\) : SCRYPT_PARAMS/);
  });

  it('refuses a cost below the test floor or beyond what a stored hash may ask, naming the bound', () => {
    expect(checkedScryptParams(SCRYPT_TEST_FLOOR)).toEqual(SCRYPT_TEST_FLOOR);
    expect(checkedScryptParams(SCRYPT_PARAMS)).toEqual(SCRYPT_PARAMS);
    expect(() => checkedScryptParams({ N: 2 ** 9, r: 8, p: 1 })).toThrow(/N must be a power of two from 1024/);
    expect(() => checkedScryptParams({ N: 3000, r: 8, p: 1 })).toThrow(/power of two/);
    expect(() => checkedScryptParams({ N: 2 ** 21, r: 8, p: 1 })).toThrow(/to 1048576/);
    expect(() => checkedScryptParams({ N: 2 ** 12, r: 1, p: 1 })).toThrow(/r must be an integer from 8 to 16/);
    expect(() => checkedScryptParams({ N: 2 ** 12, r: 8, p: 5 })).toThrow(/p must be an integer from 1 to 4/);
  });

  it('reads back only sane parameters', () => {
    const salt = 'MDEyMzQ1Njc4OWFiY2RlZg';
    const key = 'A'.repeat(43);
    expect(parseStoredHash(`scrypt$16384$8$1$${salt}$${key}`)).toMatchObject({ N: 16384, r: 8, p: 1 });
    for (const stored of [
      `scrypt$${2 ** 21}$8$1$${salt}$${key}`,
      `scrypt$100000$8$1$${salt}$${key}`,
      `scrypt$16384$17$1$${salt}$${key}`,
      `scrypt$16384$8$5$${salt}$${key}`,
      `scrypt$16384$0$1$${salt}$${key}`,
      `scrypt$16384$8$1$${salt}$${'A'.repeat(1000)}`,
      `scrypt$16384$8$1$$${key}`,
      `scrypt$1e5$8$1$${salt}$${key}`,
      `bcrypt$16384$8$1$${salt}$${key}`,
      'scrypt$16384$8$1',
    ]) {
      expect(parseStoredHash(stored), stored.slice(0, 30)).toBeNull();
    }
  });

  it('compares device-key digests in constant time and refuses a missing one', () => {
    expect(digestMatches('key', digest('key'))).toBe(true);
    expect(digestMatches('key', digest('other'))).toBe(false);
    expect(digestMatches('key', null)).toBe(false);
    expect(digestMatches('key', 'abc')).toBe(false);
  });

  it('one-time codes are 60 random bits, typed in any case with or without dashes', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newOneTimeCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(normalizeCode(' k7qm-3xh9 pa2d ')).toBe('K7QM3XH9PA2D');
    expect(pairingCodeHash('k7qm 3xh9 pa2d')).toBe(pairingCodeHash('K7QM-3XH9-PA2D'));
  });

  it('the precomputed demo password hashes match the demo passwords', async () => {
    const users = DEMO_STORES.flatMap((store) => store.users);
    expect(new Set(users.map((user) => user.password))).toEqual(new Set(Object.keys(DEMO_PASSWORD_HASHES)));
    for (const [password, stored] of Object.entries(DEMO_PASSWORD_HASHES)) expect(await checkSecret(password, stored), password).toEqual({ valid: true, needsRehash: false });
  }, 60_000);
});

describe('live sessions (open streams)', () => {
  const session = (tokenHash: string, userId: string, roles: Role[], apiKeyId?: string): Session => ({
    user: { id: userId, code: userId, name: userId, roles },
    store: { id: 'loja1', code: 'loja1', name: 'Loja' },
    stationId: null,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    tokenHash,
    ...(apiKeyId ? { apiKey: { id: apiKeyId, name: 'erp', scopes: [], rateLimitPerMinute: 60 } } : {}),
  });

  /** A database that only listens and answers the resume check's two queries from `rows`. */
  async function started(rows: { sessions: { token_hash: string; roles: Role[] }[]; keys: string[] }) {
    let notify: (payload: string) => void = () => undefined;
    let resume: () => void | Promise<void> = () => undefined;
    const queries: string[] = [];
    const db = {
      kind: 'pglite',
      query: async (sql: string) => {
        queries.push(sql);
        return sql.includes('FROM sessions') ? rows.sessions : rows.keys.map((id) => ({ id }));
      },
      listen: async (_channel: string, onPayload: (payload: string) => void, onResume?: () => void | Promise<void>) => {
        notify = onPayload;
        resume = onResume ?? resume;
        return async () => undefined;
      },
    } as unknown as Database;
    const live = new LiveSessions();
    await live.start(db);
    return { live, queries, notice: (names: string[]) => notify(JSON.stringify(names)), resume: () => resume() };
  }

  it('ADM-02 a `user:<id>` notice closes every open stream of the user, whatever its token, and no one else\'s; closed streams leave nothing registered', async () => {
    const { live, queries, notice, resume } = await started({ sessions: [], keys: [] });
    const closed: string[] = [];
    const untrackA = live.track(session('hash-a', 'u1', ['admin']), () => closed.push('a'));
    live.track(session('hash-b', 'u1', ['admin']), () => closed.push('b'));
    const untrackC = live.track(session('hash-c', 'u2', ['admin']), () => closed.push('c'));
    notice(['user:u1']);
    expect(closed).toEqual(['a', 'b']);
    untrackA();
    notice(['hash-a', 'hash-b', 'user:u1']);
    expect(closed).toEqual(['a', 'b']);
    untrackC();
    notice(['user:u2']);
    expect(closed).toEqual(['a', 'b']);
    // Nothing left to check on resume: every registration went with its connection.
    await resume();
    expect(queries).toEqual([]);
    await live.close();
  });

  it('ADM-02 on resume, closes the streams whose session is gone or whose user\'s roles changed, and an API key\'s only when the key is revoked', async () => {
    const { live, resume } = await started({
      sessions: [{ token_hash: 'same', roles: ['cashier', 'admin'] }, { token_hash: 'demoted', roles: ['cashier'] }],
      keys: ['key-live'],
    });
    const closed: string[] = [];
    for (const [hash, user, roles, key] of [['same', 'u1', ['admin', 'cashier']], ['demoted', 'u2', ['admin']], ['gone', 'u3', ['cashier']], ['k1', 'api-key:key-live', ['admin'], 'key-live'], ['k2', 'api-key:key-revoked', ['admin'], 'key-revoked']] as const) {
      live.track(session(hash, user, [...roles], key), () => closed.push(hash));
    }
    await resume();
    expect(closed.sort()).toEqual(['demoted', 'gone', 'k2']);
    await live.close();
  });
});
