import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Users added at once with the same code (ADM-02): the code is a key of the store, and the second
 * request is told so (409 naming the field) rather than failing on the database's unique index (500).
 * PostgreSQL is where requests interleave (PGlite has one connection); both run the same checks.
 */
describe.each(DATABASE_KINDS)('store users added at once on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  const ROUNDS = 8;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ADM-02 two users added at once with one code: one is created, the other answers 409 business_rule on /code', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const code = `dupla${round}`;
      const add = (name: string) => call(server.url, 'POST', '/api/users', { token: admin, body: { code, name, password: 'uma senha longa 42', roles: ['cashier'] } });
      const answers = await Promise.all([add('Primeira'), add('Segunda')]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const created = answers.find((answer) => answer.status === 201)!;
      expect(answers.find((answer) => answer.status === 409)!.body).toMatchObject({ error: { code: 'business_rule', field: '/code' } });
      const listed = (await call(server.url, 'GET', '/api/users', { token: admin })).body as { code: string; name: string }[];
      expect(listed.filter((user) => user.code === code)).toEqual([expect.objectContaining({ name: created.body.name })]);
    }
  });
});
