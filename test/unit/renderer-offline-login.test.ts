import { describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../sync/schema/index.ts';
import { OfflineLoginStore, createVerifier, verifyPassword, type KeyValueStorage } from '../../renderer/core/offline-login.ts';

// Low iteration count keeps the suite fast; production uses DEFAULT_ITERATIONS.
const ITERATIONS = 1000;

function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
  };
}

const session: LoginResponse = {
  token: 'tok-1',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: { id: 'u1', code: 'caixa', name: 'Caixa', roles: ['cashier'] },
  store: { id: 's1', code: 'loja1', name: 'Loja Centro' },
  stationId: 'st1',
};

describe('offline login verifier', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const verifier = await createVerifier('caixa123', ITERATIONS);
    expect(await verifyPassword('caixa123', verifier)).toBe(true);
    expect(await verifyPassword('caixa124', verifier)).toBe(false);
    expect(await verifyPassword('', verifier)).toBe(false);
  });

  it('never stores the password and salts every verifier', async () => {
    const a = await createVerifier('caixa123', ITERATIONS);
    const b = await createVerifier('caixa123', ITERATIONS);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(JSON.stringify(a)).not.toContain('caixa123');
  });

  it('POS-01 a user who logged in online before reopens the session offline; others are refused', async () => {
    const storage = memoryStorage();
    const store = new OfflineLoginStore(storage, ITERATIONS);
    const server = 'http://localhost:4010';
    await store.remember(server, 'loja1', 'caixa', 'caixa123', session);
    // Neither the password nor the session token is stored: only the verifier and who the user is.
    expect([...storage.map.values()].join()).not.toContain('caixa123');
    expect([...storage.map.values()].join()).not.toContain('tok-1');

    const ok = await store.verify(server, 'loja1', 'CAIXA', 'caixa123');
    expect(ok.ok && ok.record.session).toEqual({ expiresAt: session.expiresAt, user: session.user, store: session.store, stationId: 'st1' });
    expect(await store.verify(server, 'loja1', 'caixa', 'wrong')).toEqual({ ok: false, reason: 'wrong_password' });
    expect(await store.verify(server, 'loja1', 'admin', 'caixa123')).toEqual({ ok: false, reason: 'never_logged_in' });
    // Another store or server never reuses the verifier.
    expect(await store.verify(server, 'loja2', 'caixa', 'caixa123')).toEqual({ ok: false, reason: 'never_logged_in' });
    expect(await store.verify('http://other:4010', 'loja1', 'caixa', 'caixa123')).toEqual({ ok: false, reason: 'never_logged_in' });

    store.forget(server, 'loja1', 'caixa');
    expect(await store.verify(server, 'loja1', 'caixa', 'caixa123')).toEqual({ ok: false, reason: 'never_logged_in' });
  });

  it('cleans the tokens earlier versions kept in their records, and drops records it cannot read', async () => {
    const storage = memoryStorage();
    const store = new OfflineLoginStore(storage, ITERATIONS);
    await store.remember('http://s', 'loja1', 'caixa', 'x', session);
    const [key] = [...storage.map.keys()];
    const record = JSON.parse(storage.map.get(key!)!) as { session: Record<string, unknown> };
    storage.map.set(key!, JSON.stringify({ ...record, session: { ...record.session, token: 'tok-old' } }));
    storage.map.set('balcao.offline-login.["http://s","loja1","other"]', 'tok-old{');
    storage.map.set('unrelated', 'tok-old stays: not ours');

    expect(store.scrubTokens()).toBe(2);
    expect([...storage.map.keys()]).toEqual([key, 'unrelated']);
    expect(storage.map.get(key!)).not.toContain('tok-old');
    expect(await store.verify('http://s', 'loja1', 'caixa', 'x')).toMatchObject({ ok: true, record: { session: { user: session.user } } });
    expect(store.scrubTokens()).toBe(0);
  });

  it('treats a corrupt record as never logged in instead of throwing', async () => {
    const storage = memoryStorage();
    const store = new OfflineLoginStore(storage, ITERATIONS);
    await store.remember('http://s', 'loja1', 'caixa', 'x', session);
    for (const key of storage.map.keys()) storage.map.set(key, '{not json');
    expect(await store.verify('http://s', 'loja1', 'caixa', 'x')).toEqual({ ok: false, reason: 'never_logged_in' });
  });
});
