import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Supervisor codes (POS-20) changed by several requests at once: the revocation reads the record under
 * the store's lock, in the transaction that writes it, like every write path, so it keeps what a change
 * committed meanwhile instead of writing back an older read. Each round must end as one serial order of
 * the requests would leave it. PostgreSQL is where requests interleave (PGlite has one connection); both
 * run the same checks. (A rename of the record through the integration API raced a revocation here too,
 * until supervisor records became writable through their own routes only: test/server/api-key-writes.test.ts.)
 */
describe.each(DATABASE_KINDS)('supervisor code races on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  const ROUNDS = 8;
  const USER = 'loja1-caixa';
  const RECORD = `/api/v1/masterdata/supervisor-${USER}`;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const send = (method: string, path: string, body?: unknown) => call(server.url, method, path, { token: admin, body });
  const setCode = (code: string) => send('PUT', `/api/users/${USER}/supervisor-code`, { code });
  const revoke = () => send('DELETE', `/api/users/${USER}/supervisor-code`);
  const record = async () => (await send('GET', RECORD)).body as Record<string, unknown>;

  it('POS-20 a supervisor code set while revocations are sent one after another ends as one serial order, with the fields the last write wrote', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      expect((await setCode('135700')).status).toBe(200);
      // Revocations one after another for as long as the new code is being set (it hashes first), so one of them meets its write.
      let setting = true;
      const set = setCode(`97531${round}`).finally(() => {
        setting = false;
      });
      const revocations: number[] = [];
      do {
        revocations.push((await revoke()).status);
      } while (setting);
      expect((await set).status).toBe(200);
      expect(revocations.every((status) => status === 200)).toBe(true);
      const now = await record();
      // Set last: active with the new code. Revoked last: inactive, no hash. Either way the user's name, as the code route wrote it.
      expect(now).toMatchObject({ kind: 'supervisor', userId: USER, code: 'caixa', name: 'Carla Caixa', _deleted: false });
      if (now.active) expect(now.codeHash).toBeDefined();
      else expect(now.codeHash).toBeUndefined();
    }
  });
});
