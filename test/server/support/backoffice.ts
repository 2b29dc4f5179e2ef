import { expect } from 'vitest';
import { computeCharge, periodDays } from '../../../sync/rules/index.ts';
import type { ContractDoc, ServiceDoc } from '../../../sync/schema/index.ts';
import { call, login, type TestServer } from './servers.ts';
import { cpf } from './documents.ts';

/** A back-office user's session and short-hands for the billing API and the replication endpoints. */
export interface BackofficeClient {
  token: string;
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => ReturnType<typeof call>;
  push: (collection: string, rows: unknown[]) => ReturnType<typeof call>;
  errors: () => Promise<{ documentId: string; reason: string; message: string; document: Record<string, unknown>; id: string; resolvedAt: string | null }[]>;
}

export async function backofficeClient(server: TestServer): Promise<BackofficeClient> {
  const { token } = await login(server, 'retaguarda', 'retaguarda123');
  return {
    token,
    api: (method, path, body, headers) => call(server.url, method, `/api/v1/billing${path}`, { token, body, headers }),
    push: (collection, rows) => call(server.url, 'POST', `/api/sync/${collection}/push`, { token, body: rows }),
    errors: async () => (await call(server.url, 'GET', '/api/sync/errors?includeResolved=true', { token })).body,
  };
}

export const at = '2026-11-01T10:00:00.000Z';

export function serviceDoc(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, kind: 'service', code: id.toUpperCase(), name: `Serviço ${id}`, active: true, monthlyFeeCents: 5000, updatedAt: at, _deleted: false, ...extra };
}

export function contractDoc(id: string, customerId: string, lines: [string, number][], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, kind: 'contract', code: id.toUpperCase(), customerId, startDate: '2026-10-01', billingDay: 10, state: 'draft', history: [],
    lines: lines.map(([serviceId, quantity]) => ({ id: `${id}-${serviceId}`, serviceId, quantity })), updatedAt: at, _deleted: false, ...extra,
  };
}

export function requestDoc(id: string, contractId: string, kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, kind, contractId, userId: 'loja1-retaguarda', requestedAt: at, _deleted: false, ...extra };
}

export function usageDoc(id: string, contractId: string, serviceId: string, quantity: number, date: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, contractId, serviceId, quantity, date, externalId: id, updatedAt: at, _deleted: false, ...extra };
}

export function customer(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `bo-cust-${n}`, name: `Cliente BO ${n}`, taxId: cpf(7000 + n), active: true, updatedAt: at, _deleted: false, ...extra };
}

/** Rows of a push, each assuming the master state the device last saw (null for new documents). */
export const rows = (...docs: Record<string, unknown>[]) => docs.map((doc) => ({ newDocumentState: doc, assumedMasterState: null }));

/**
 * BO-05: the SQL billing run's receivables of `period` and the shared rule (computeCharge, sync/rules/billing.ts)
 * agree on every contract of the store, to the cent and line by line.
 * @returns the period's receivables by contract id
 */
export async function expectRunAgreesWithRule(bo: BackofficeClient, period: string): Promise<Record<string, { amountCents: number; lines: unknown[]; dueDate: string }>> {
  const listed = (await bo.api('GET', `/receivables?period=${period}&limit=1000`)).body.receivables as { contractId: string; amountCents: number; lines: unknown[]; dueDate: string }[];
  const byContract = Object.fromEntries(listed.map((r) => [r.contractId, r]));
  const services = new Map<string, ServiceDoc>(((await bo.api('GET', '/services?limit=1000')).body.services as ServiceDoc[]).map((s) => [s.id, s]));
  const { first, last } = periodDays(period);
  for (const contract of (await bo.api('GET', '/contracts?limit=1000')).body.contracts as ContractDoc[]) {
    const usage = new Map<string, number>();
    for (const record of (await bo.api('GET', `/consumption?contractId=${contract.id}&from=${first}&to=${last}&limit=1000`)).body.consumption) usage.set(record.serviceId, (usage.get(record.serviceId) ?? 0) + record.quantity);
    const expected = computeCharge(contract, services, usage, period);
    expect([contract.id, byContract[contract.id]?.amountCents ?? null, byContract[contract.id]?.lines ?? null]).toEqual([contract.id, expected?.amountCents ?? null, expected?.lines ?? null]);
  }
  return byContract;
}
