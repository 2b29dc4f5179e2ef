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
