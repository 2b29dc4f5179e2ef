import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../sync/server/design/signature.ts';
import { LOJA1_TAX_ID, projectWithEnvironment, startDesignWorld, waitUntil, type DesignWorld } from '../design-sim/test-world.ts';
import { customerDoc } from './support/documents.ts';
import { DATABASE_KINDS, login } from './support/servers.ts';

describe.each(DATABASE_KINDS)('design portal integration on %s', (kind) => {
  let world: DesignWorld;
  beforeAll(async () => {
    world = await startDesignWorld(kind);
  });
  afterAll(async () => world?.close());

  const postEvent = (raw: string, headers: Record<string, string>) =>
    fetch(`${world.server.url}/api/design/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw }).then(async (response) => ({ status: response.status, body: await response.json() }));

  it('DES-01 the admin registers the store portal account once; other roles may not, and another store never sees it', async () => {
    const mine = await world.call('GET', '/api/design/portal-account', { token: world.tokens.admin });
    expect(mine).toMatchObject({ status: 200, body: { accountId: world.sim.accountId, storeTaxId: LOJA1_TAX_ID, portalUrl: world.sim.url } });
    expect(mine.body.signingSecret).toBeUndefined();
    const byDesigner = await world.call('PUT', '/api/design/portal-account', { token: world.tokens.designer, body: { storeTaxId: LOJA1_TAX_ID, accountId: 'x', portalUrl: 'http://x' } });
    expect(byDesigner.status).toBe(403);
    const wrongTaxId = await world.call('PUT', '/api/design/portal-account', { token: world.tokens.admin, body: { storeTaxId: '11444777000161', accountId: world.sim.accountId, portalUrl: world.sim.url } });
    expect(wrongTaxId).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', field: '/storeTaxId' } } });
    for (const portalUrl of ['http://[::1', 'https://exa mple.com']) {
      const unreadable = await world.call('PUT', '/api/design/portal-account', { token: world.tokens.admin, body: { storeTaxId: LOJA1_TAX_ID, accountId: world.sim.accountId, portalUrl } });
      expect(unreadable, portalUrl).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', field: '/portalUrl' } } });
    }
    expect((await world.call('GET', '/api/design/portal-account', { token: world.tokens.admin })).body.portalUrl).toBe(world.sim.url);

    const otherAdmin = await login(world.server, 'admin', 'admin123', 'loja2');
    expect((await world.call('GET', '/api/design/portal-account', { token: otherAdmin.token })).status).toBe(404);
    const stolen = await world.call('PUT', '/api/design/portal-account', { token: otherAdmin.token, body: { storeTaxId: '11444777000161', accountId: world.sim.accountId, portalUrl: 'http://evil' } });
    expect(stolen.status).toBe(409);
  });

  it('DES-05 events with a bad or missing signature, a stale timestamp or an unknown account are refused with 401', async () => {
    const event = { type: 'user.credentials_changed', eventId: 'sig-test-1', designUserId: 'nobody', credentialVersion: 9 };
    const raw = JSON.stringify(event);
    const account = { 'x-balcao-account': world.sim.accountId };
    expect(await postEvent(raw, account)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: expect.stringMatching(/x-balcao-signature header is missing/) } } });
    expect((await postEvent(raw, { ...account, 'x-balcao-signature': signatureHeader('wrong-secret-123456', raw) })).body.error.message).toMatch(/does not match/);
    expect((await postEvent(raw, { ...account, 'x-balcao-signature': signatureHeader(world.sim.secret, raw, Date.now() - 6 * 60_000) })).body.error.message).toMatch(/more than 5 minutes/);
    expect((await postEvent(raw, { ...account, 'x-balcao-signature': signatureHeader(world.sim.secret, `${raw} `) })).status).toBe(401);
    expect((await postEvent(raw, { 'x-balcao-account': 'unknown-account', 'x-balcao-signature': signatureHeader(world.sim.secret, raw) })).body.error.message).toMatch(/not registered/);
    // Signed, but not a valid event: 400 naming the field.
    const invalid = JSON.stringify({ type: 'environment.saved', eventId: 'x' });
    expect(await postEvent(invalid, { ...account, 'x-balcao-signature': signatureHeader(world.sim.secret, invalid) })).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    const valid = await postEvent(raw, { ...account, 'x-balcao-signature': signatureHeader(world.sim.secret, raw) });
    expect(valid).toMatchObject({ status: 200, body: { accepted: true } });
  });

  it('DES-02 a designer links their design user (green mark), a wrong password is explained, a password change asks to link again', async () => {
    expect((await world.call('GET', '/api/design/link', { token: world.tokens.designer })).body).toEqual({ status: 'unlinked' });
    const wrong = await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'nope' } });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'invalid_credentials', message: expect.stringMatching(/user or password of the design software is wrong/) } } });
    const linked = await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'projetista-design' } });
    expect(linked).toMatchObject({ status: 200, body: { status: 'linked', designUserName: 'Paulo Projetista (design)' } });
    expect((await world.call('GET', '/api/design/link', { token: world.tokens.designer })).body).toEqual({ status: 'linked', designUserName: 'Paulo Projetista (design)' });
    expect((await world.call('GET', '/api/design/link', { token: world.tokens.reviewer })).body).toEqual({ status: 'unlinked' });

    const changed = await world.sim.setPassword('projetista', 'nova-senha-1');
    expect(changed.status).toBe(200);
    expect((await world.call('GET', '/api/design/link', { token: world.tokens.designer })).body).toMatchObject({ status: 'relink' });
    // The old password no longer works; the new one links again.
    expect((await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'projetista-design' } })).status).toBe(400);
    expect((await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'nova-senha-1' } })).body.status).toBe('linked');
    expect((await world.call('GET', '/api/design/link', { token: world.tokens.cashier })).status).toBe(403);
  });

  it('DES-03 customers created in the store system reach the design portal, also those of a new project', async () => {
    const customer = customerDoc(4242, { id: 'des03-customer', name: 'Cliente do Projeto', email: 'cliente@example.com' });
    const pushed = await world.call('POST', '/api/sync/customers/push', { token: world.tokens.designer, body: [{ newDocumentState: customer }] });
    expect(pushed).toMatchObject({ status: 200, body: [] });
    const received = await waitUntil('customer on the portal', async () => world.sim.customers.get('des03-customer'));
    expect(received).toMatchObject({ name: 'Cliente do Projeto', taxId: customer.taxId, email: 'cliente@example.com' });
    // Registering the account made the seeded customers available too.
    expect(world.sim.customers.has('loja1-cli-2')).toBe(true);
    expect(world.sim.calls.every((incoming) => incoming.signed)).toBe(true);
  });

  it('DES-05 DES-07 every save is announced and priced; the environment turns outdated; a redelivered event changes nothing', async () => {
    const { projectId, environmentId } = await projectWithEnvironment(world, { project: 'Apartamento 12', environment: 'Cozinha' });
    const first = await world.sim.save(projectId, 'Cozinha');
    expect(first).toMatchObject({ status: 200, body: { accepted: true, environmentId, designRevision: 1, outdated: true } });
    const env = await world.environment(environmentId);
    expect(env.latestDesignRevision).toBe(1);
    expect(env.latestSave).toMatchObject({ designRevision: 1, optionName: 'Opção 1', designId: first.event.type === 'user.credentials_changed' ? '' : first.event.designId });
    // Store rules: list price + 30 % markup (seeded), or the store's own price for its own sku.
    const listed = first.event.type === 'user.credentials_changed' ? [] : first.event.items;
    for (const item of env.latestSave!.items) {
      const source = listed.find((candidate) => candidate.code === item.code)!;
      if (item.productId) expect(item.unitPriceCents).not.toBe(source.listPriceCents);
      else expect(item.unitPriceCents).toBe(Math.round(source.listPriceCents * 1.3));
      expect(item).toMatchObject({ origin: 'design', quantity: source.quantity, totalCents: item.unitPriceCents * item.quantity - item.discountCents });
    }
    const seqBefore = (await world.call('GET', '/api/sync/designEnvironments/pull?checkpoint=0&limit=10000', { token: world.tokens.admin })).body.checkpoint.seq;
    // Redelivered, also several times at once: the first answer again, nothing changes.
    const again = await Promise.all([1, 2, 3].map(() => world.sim.redeliver()));
    for (const answer of again) {
      expect(answer.status).toBe(first.status);
      expect(answer.body).toEqual(first.body);
    }
    const seqAfter = (await world.call('GET', '/api/sync/designEnvironments/pull?checkpoint=0&limit=10000', { token: world.tokens.admin })).body.checkpoint.seq;
    expect(seqAfter).toBe(seqBefore);
    const second = await world.sim.save(projectId, 'Cozinha');
    expect(second.body).toMatchObject({ designRevision: 2, outdated: true });
    expect((await world.environment(environmentId)).latestDesignRevision).toBe(2);
  });

  it('DES-06 a first "Negotiate" imports version 1 at once with the budget and answers where the store system shows it', async () => {
    const { projectId, environmentId } = await projectWithEnvironment(world, { environment: 'Sala' });
    const answer = await world.sim.negotiate(projectId, 'Sala');
    expect(answer).toMatchObject({ status: 200, body: { accepted: true, importedVersion: 1, outdated: false, openUrl: `balcao://design/environments/${environmentId}` } });
    const env = await world.environment(environmentId);
    expect(env.versions).toHaveLength(1);
    expect(env.items.length).toBeGreaterThan(0);
    expect(env.items.every((item) => item.origin === 'design')).toBe(true);
    expect(env.budget.totalCents).toBe(env.items.reduce((sum, item) => sum + item.totalCents, 0));
    const later = await world.sim.negotiate(projectId, 'Sala');
    expect(later.body).toMatchObject({ outdated: true, designRevision: 2 });
    expect(later.body.importedVersion).toBeUndefined();
  });

  it('DES-10 the design software opens at any version; unknown environments and versions say so', async () => {
    const { projectId, environmentId } = await projectWithEnvironment(world, { environment: 'Quarto' });
    await world.sim.negotiate(projectId, 'Quarto');
    const env = await world.environment(environmentId);
    const open = await world.call('GET', `/api/design/environments/${environmentId}/open-url?version=1`, { token: world.tokens.designer });
    expect(open.status).toBe(200);
    expect(open.body.url).toBe(`${world.sim.url}/open?environment=${env.designEnvironmentId}&revision=1&designId=${env.versions[0]!.designId}`);
    expect(open.body.deepLink).toMatch(/^balcao-design:\/\/open\?environment=/);
    const page = await fetch(open.body.url).then((response) => response.text());
    expect(page).toContain('Opened Quarto at revision 1');
    expect((await world.call('GET', `/api/design/environments/${environmentId}/open-url?version=7`, { token: world.tokens.designer })).status).toBe(404);
    expect((await world.call('GET', '/api/design/environments/nope/open-url', { token: world.tokens.designer })).status).toBe(404);
  });

  it('DES-05 a save of an environment the store system does not know is answered 404 and stored nowhere', async () => {
    const legacy = world.sim.createLegacyProject('Só no portal', ['Varanda']);
    const answer = await world.sim.save(legacy.designProjectId, 'Varanda');
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: expect.stringMatching(/not known to the store system/) } } });
  });

  it('DES-04 environment creation waits for an unreachable portal and finishes once it answers', async () => {
    world.sim.failNext(/\/environments$/, 503, 2);
    const { environmentId } = await projectWithEnvironment(world, { environment: 'Lavanderia' });
    expect((await world.environment(environmentId)).status).toBe('ready');
  });

  it('BO-06 the design routes and the signed events endpoint are documented in the OpenAPI document', async () => {
    const doc = (await world.call('GET', '/docs/json')).body;
    for (const path of ['/api/design/portal-account', '/api/design/link', '/api/design/settings', '/api/design/environments/{id}/open-url', '/api/design/events']) expect(doc.paths).toHaveProperty([path]);
    const events = doc.paths['/api/design/events'].post;
    expect(events.description).toMatch(/x-balcao-signature/);
    expect(JSON.stringify(events.requestBody)).toMatch(/environment\.saved/);
    expect(events.security).toEqual([]);
  });

  it('DES-01 two stores registering one new account id at the same moment: one gets it, the other 409, never a 500', async () => {
    const otherAdmin = await login(world.server, 'admin', 'admin123', 'loja2');
    try {
      for (let round = 0; round < 8; round++) {
        const accountId = `race-${kind}-${round}`;
        const answers = await Promise.all([
          world.call('PUT', '/api/design/portal-account', { token: world.tokens.admin, body: { storeTaxId: LOJA1_TAX_ID, accountId, portalUrl: world.sim.url } }),
          world.call('PUT', '/api/design/portal-account', { token: otherAdmin.token, body: { storeTaxId: '11444777000161', accountId, portalUrl: 'http://other.example' } }),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        const holders = await Promise.all([world.tokens.admin, otherAdmin.token].map(async (token) => (await world.call('GET', '/api/design/portal-account', { token })).body.accountId));
        expect(holders.filter((held) => held === accountId)).toHaveLength(1);
      }
    } finally {
      const restored = await world.call('PUT', '/api/design/portal-account', { token: world.tokens.admin, body: { storeTaxId: LOJA1_TAX_ID, accountId: world.sim.accountId, portalUrl: world.sim.url, signingSecret: world.sim.secret } });
      expect(restored.status).toBe(200);
    }
  });
});
