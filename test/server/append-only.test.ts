import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, COLLECTIONS } from '../../sync/schema/index.ts';
import { contractDoc, rows, serviceDoc } from './support/backoffice.ts';
import { call, DATABASE_KINDS, login, useStationServer } from './support/servers.ts';

/** Issue 14, kind 7: append-only holds on every write path. */
describe.each(DATABASE_KINDS)('append-only collections on %s (issue 14)', (kind) => {
  const station = useStationServer(kind);
  const http = (method: string, path: string, token: string, body?: unknown) => call(station.server.url, method, path, { token, body });
  const push = (collection: string, token: string, doc: Record<string, unknown>, assumed: Record<string, unknown> | null) =>
    http('POST', `/api/sync/${collection}/push`, token, [{ newDocumentState: doc, assumedMasterState: assumed }]);
  const stored = async (collection: string, id: string) => (await http('GET', `/api/v1/${collection}/${id}`, station.admin)).body;
  const errorOf = async (id: string) => (await http('GET', '/api/sync/errors', station.admin)).body.find((error: { documentId: string }) => error.documentId === id);

  const records = () => ({
    auditEvents: { signIn: null, doc: { id: `ae-${randomUUID()}`, stationId: station.stationId, userId: 'loja1-caixa', at: new Date().toISOString(), action: 'login', detail: 'caixa 1', _deleted: false } },
    cashMovements: {
      signIn: null,
      doc: { id: `cm-${randomUUID()}`, stationId: station.stationId, userId: 'loja1-caixa', kind: 'withdrawal', amountCents: 5_000, reasonId: 'loja1-financialReason-sangria', at: new Date().toISOString(), _deleted: false },
    },
    designActions: { signIn: ['projetista', 'projetista123'], doc: { id: randomUUID(), kind: 'createProject', userId: 'loja1-projetista', requestedAt: new Date().toISOString(), newId: randomUUID(), name: 'Projeto', customerId: 'loja1-cli-1', _deleted: false } },
    backofficeActions: { signIn: ['retaguarda', 'retaguarda123'], doc: { id: randomUUID(), kind: 'activate', contractId: 'ao-contract', userId: 'loja1-retaguarda', requestedAt: new Date().toISOString(), reason: 'Início', _deleted: false } },
  });

  it('POS-16 the registry marks the audit trail, cash movements, design requests and contract requests append-only', () => {
    expect(COLLECTION_NAMES.filter((name) => COLLECTIONS[name].appendOnly)).toEqual(['cashMovements', 'auditEvents', 'designActions', 'backofficeActions']);
  });

  it.each(['auditEvents', 'cashMovements', 'designActions', 'backofficeActions'] as const)('POS-16 %s: a changed re-push, a deletion and integration PUT/DELETE are refused; the same record again is harmless', async (collection) => {
    const { doc, signIn } = records()[collection];
    // Station records come from the paired station's cashier; requests from the user who makes them.
    const token = signIn ? (await login(station.server, signIn[0]!, signIn[1]!)).token : station.token;
    if (collection === 'backofficeActions') {
      // A contract for the request to act on (a request for an unknown contract waits for it, unstored).
      expect((await http('POST', '/api/sync/backoffice/push', token, rows(serviceDoc('ao-fee'), contractDoc('ao-contract', 'loja1-cli-1', [['ao-fee', 1]])))).body).toEqual([]);
    }
    expect((await push(collection, token, doc, null)).body).toEqual([]);
    const original = await stored(collection, String(doc.id));
    expect(original).toEqual(doc);

    // The same record again (a retried upload) changes nothing and is no refusal.
    expect((await push(collection, token, doc, null)).body).toEqual([]);
    expect((await push(collection, token, doc, doc)).body).toEqual([]);
    expect(await errorOf(String(doc.id))).toBeUndefined();

    const changed = collection === 'cashMovements' ? { ...doc, amountCents: 1 } : collection === 'auditEvents' ? { ...doc, detail: 'reescrito' } : collection === 'backofficeActions' ? { ...doc, reason: 'Outro motivo' } : { ...doc, name: 'Outro nome' };
    // Refused: the answer gives the device the server's version back (issue 11, sync/refused-masters.ts).
    expect((await push(collection, token, changed, doc)).body).toEqual([{ ...original, _deleted: false }]);
    expect(await errorOf(String(doc.id))).toMatchObject({ reason: 'immutable_document', message: expect.stringMatching(/append-only/) });
    expect((await push(collection, token, { ...doc, _deleted: true }, doc)).body).toEqual([{ ...original, _deleted: false }]);
    expect(await stored(collection, String(doc.id))).toEqual(original);

    const { _deleted, ...body } = changed;
    const put = await http('PUT', `/api/v1/${collection}/${String(doc.id)}`, station.admin, body);
    expect(put.status).toBe(422);
    expect(put.body.error).toMatchObject({ code: 'quarantined', message: expect.stringMatching(/append-only/) });
    const removed = await http('DELETE', `/api/v1/${collection}/${String(doc.id)}`, station.admin);
    expect(removed.status).toBe(422);
    expect(await stored(collection, String(doc.id))).toEqual(original);

    // Retrying the refused change from the integration errors does not get it in either.
    const entry = await errorOf(String(doc.id));
    expect((await http('POST', `/api/sync/errors/${entry.id}/retry`, station.admin)).body).toMatchObject({ resolvedAt: null });
    expect(await stored(collection, String(doc.id))).toEqual(original);

    // A record that first arrives deleted was never recorded as it happened.
    const { doc: fresh } = records()[collection];
    expect((await push(collection, token, { ...fresh, _deleted: true }, null)).body).toEqual([]);
    expect((await http('GET', `/api/v1/${collection}/${String(fresh.id)}`, station.admin)).status).toBe(404);
    expect(await errorOf(String(fresh.id))).toMatchObject({ reason: 'immutable_document' });
  });
});
