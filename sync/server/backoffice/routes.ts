import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ContractDoc, Customer } from '../../schema/index.ts';
import { CONTRACT_ACTION_KINDS, type ContractActionKind } from '../../schema/index.ts';
import { canonicalTaxId, normalizeCep, normalizeEmail, normalizePhone } from '../../rules/index.ts';
import { authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { ApiProblem } from '../http/problem.ts';
import {
  contractCreateBody,
  contractResponse,
  customerChangeBody,
  customerCreateBody,
  customerResponse,
  deactivateBody,
  idParams,
  listOf,
  pageQuery,
  serviceResponse,
  transitionBody,
} from './api-schemas.ts';
import { assertBackoffice, changeOne, getLive, getLiveVersion, listLive } from './documents.ts';
import { addOne } from './add-once.ts';
import { etagOf, ifMatchOf } from '../http/etag.ts';
import { liveSheet, sendXlsx, wantsXlsx, withXlsx, XLSX_PAGE } from '../http/xlsx.ts';

/**
 * Billing API (BO-01..03, BO-06): customers, services and contracts as the seed lists them under
 * "API" — add/change/remove/get customers, get services, add/activate/deactivate/suspend/cancel/get
 * contracts (and resume). Back-office users and administrators only; every write honours
 * Idempotency-Key and goes through the same guards as a device upload.
 */
export const BILLING_API = '/api/v1/billing';
/** Route config of every billing route: API keys need the `billing` scope (auth: FastifyContextConfig.apiResource). */
export const BILLING_RESOURCE = { apiResource: 'billing' } as const;

/** What the add routes answer for a client-chosen id (add-once.ts). */
export const ADD_ID_NOTE =
  'An `id` already taken is not replaced: the exact same add again (a retry) answers the stored record with 200; any other use of a taken id is a 409 `idempotency_conflict` on `/id`.';

const nowIso = () => new Date().toISOString();
const isContract = (data: Record<string, unknown>) => data.kind === 'contract';
const isService = (data: Record<string, unknown>) => data.kind === 'service';

/** Stored forms of the contact fields, or a 400 problem naming the field. */
function normalised<T extends Partial<Customer>>(input: T): T {
  const out: Record<string, unknown> = { ...input };
  const fix = (field: keyof Customer, normalize: (value: string) => string | null, what: string) => {
    const value = input[field];
    if (typeof value !== 'string' || value === '') return;
    const normal = normalize(value);
    if (normal === null) throw new ApiProblem(400, 'validation_failed', `${what} "${value}" is not valid. Fix it and send it again.`, `/${field}`);
    out[field] = normal;
  };
  fix('taxId', canonicalTaxId, 'CPF/CNPJ');
  fix('phone', normalizePhone, 'Phone');
  fix('email', normalizeEmail, 'E-mail');
  fix('cep', normalizeCep, 'CEP');
  return out as T;
}

export function registerBillingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const customersTag = ['api: billing customers'];

  app.get<{ Querystring: { q?: string; active?: boolean; limit: number; cursor?: string } }>(
    `${BILLING_API}/customers`,
    {
      schema: {
        tags: customersTag,
        summary: 'List customers (BO-01): search by name or CPF/CNPJ, active or not, ordered by id',
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 100 }, active: { type: 'boolean' }, ...pageQuery } },
        response: { 200: withXlsx(listOf(customerResponse, 'customers')) },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const { q, active, limit, cursor } = request.query;
      if (wantsXlsx(request)) return sendXlsx(reply, liveSheet('customers', customerResponse), (next) => listLive(ctx.db, session.store.id, 'customers', { equals: { active }, search: q ? { text: q, fields: ['name', 'taxId'] } : undefined, limit: XLSX_PAGE, cursor: next }));
      const page = await listLive(ctx.db, session.store.id, 'customers', { equals: { active }, search: q ? { text: q, fields: ['name', 'taxId'] } : undefined, limit, cursor });
      return { customers: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: { id: string } }>(
    `${BILLING_API}/customers/:id`,
    { schema: { tags: customersTag, summary: 'Get a customer (BO-01)', params: idParams, response: { 200: customerResponse } }, preHandler, config: BILLING_RESOURCE },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const found = await getLiveVersion(ctx.db, session.store.id, 'customers', request.params.id, 'Customer');
      void reply.header('etag', etagOf(found.seq));
      return found.data;
    },
  );

  app.post<{ Body: Partial<Customer> & { name: string; taxId: string } }>(
    `${BILLING_API}/customers`,
    {
      schema: {
        tags: customersTag,
        summary: 'Add a customer (BO-01)',
        description:
          'CPF or CNPJ (also alphanumeric) without punctuation; phone, e-mail and CEP are stored normalised. 422 `quarantined` when a business rule refuses it. ' +
          ADD_ID_NOTE,
        body: customerCreateBody,
        response: { 200: customerResponse, 201: customerResponse },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const doc = { ...normalised(request.body), id: request.body.id ?? randomUUID(), active: true, updatedAt: nowIso(), _deleted: false };
        return addOne(db, session, { collection: 'customers', what: 'Customer', changeWith: `POST ${BILLING_API}/customers/{id}` }, request.body.id, doc);
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Partial<Customer> }>(
    `${BILLING_API}/customers/:id`,
    {
      schema: {
        tags: customersTag,
        summary: 'Change a customer (BO-01): only the fields sent change; `active: true` reactivates',
        params: idParams,
        body: customerChangeBody,
        response: { 200: customerResponse },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const changes = normalised(request.body);
        const reactivated = changes.active === true ? { deactivationReason: undefined, deactivatedAt: undefined, deactivatedBy: undefined } : {};
        if (changes.active === false) throw new ApiProblem(400, 'validation_failed', `Deactivate a customer with DELETE ${BILLING_API}/customers/{id} and a reason.`, '/active');
        // Merged into the version stored when the store's lock is held, so concurrent changes of other fields stand.
        const written = await changeOne(db, session, { collection: 'customers', id: request.params.id, what: 'Customer' }, ifMatchOf(request), (current) => ({
          collection: 'customers',
          doc: JSON.parse(JSON.stringify({ ...current, ...changes, ...reactivated, updatedAt: nowIso(), _deleted: false })),
        }));
        return { status: 200, body: written.data, headers: { etag: etagOf(written.seq) } };
      });
    },
  );

  app.delete<{ Params: { id: string }; Body: { reason: string } }>(
    `${BILLING_API}/customers/:id`,
    {
      schema: {
        tags: customersTag,
        summary: 'Remove (deactivate) a customer with a reason (BO-01); customers are never deleted',
        description: 'Refused (422 `quarantined`, reason `open_receivables`) while the customer has open receivables.',
        params: idParams,
        body: deactivateBody,
        response: { 200: customerResponse },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        // Read and written under the store's lock: a concurrent change of other fields is kept, and cannot reactivate it.
        let wrote = false;
        const written = await changeOne(db, session, { collection: 'customers', id: request.params.id, what: 'Customer' }, ifMatchOf(request), (current) => {
          if (current.active === false) return null;
          wrote = true;
          return { collection: 'customers', doc: { ...current, active: false, deactivationReason: request.body.reason, deactivatedAt: nowIso(), deactivatedBy: session.user.id, updatedAt: nowIso(), _deleted: false } };
        });
        return { status: 200, body: written.data, ...(wrote ? { headers: { etag: etagOf(written.seq) } } : {}) };
      });
    },
  );

  const servicesTag = ['api: billing services'];
  app.get<{ Querystring: { active?: boolean; limit: number; cursor?: string } }>(
    `${BILLING_API}/services`,
    {
      schema: {
        tags: servicesTag,
        summary: 'List services (BO-02): code, name, monthly fee and/or metered price per unit, included quantity',
        querystring: { type: 'object', properties: { active: { type: 'boolean' }, ...pageQuery } },
        response: { 200: withXlsx(listOf(serviceResponse, 'services')) },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      if (wantsXlsx(request)) return sendXlsx(reply, liveSheet('services', serviceResponse), (next) => listLive(ctx.db, session.store.id, 'backoffice', { equals: { kind: 'service', active: request.query.active }, limit: XLSX_PAGE, cursor: next }));
      const page = await listLive(ctx.db, session.store.id, 'backoffice', { equals: { kind: 'service', active: request.query.active }, limit: request.query.limit, cursor: request.query.cursor });
      return { services: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: { id: string } }>(
    `${BILLING_API}/services/:id`,
    { schema: { tags: servicesTag, summary: 'Get a service (BO-02)', params: idParams, response: { 200: serviceResponse } }, preHandler, config: BILLING_RESOURCE },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const found = await getLiveVersion(ctx.db, session.store.id, 'backoffice', request.params.id, 'Service', isService);
      void reply.header('etag', etagOf(found.seq));
      return found.data;
    },
  );

  registerContractRoutes(app, ctx, preHandler);
}

function registerContractRoutes(app: FastifyInstance, ctx: ServerContext, preHandler: ReturnType<typeof authenticate>): void {
  const tags = ['api: billing contracts'];

  app.get<{ Querystring: { customerId?: string; state?: string; limit: number; cursor?: string } }>(
    `${BILLING_API}/contracts`,
    {
      schema: {
        tags,
        summary: "List contracts (BO-03), e.g. a customer's",
        querystring: { type: 'object', properties: { customerId: { type: 'string', maxLength: 64 }, state: { type: 'string', enum: ['draft', 'active', 'inactive', 'suspended', 'cancelled'] }, ...pageQuery } },
        response: { 200: withXlsx(listOf(contractResponse, 'contracts')) },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const { customerId, state, limit, cursor } = request.query;
      if (wantsXlsx(request)) return sendXlsx(reply, liveSheet('contracts', contractResponse), (next) => listLive(ctx.db, session.store.id, 'backoffice', { equals: { kind: 'contract', customerId, state }, limit: XLSX_PAGE, cursor: next }));
      const page = await listLive(ctx.db, session.store.id, 'backoffice', { equals: { kind: 'contract', customerId, state }, limit, cursor });
      return { contracts: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: { id: string } }>(
    `${BILLING_API}/contracts/:id`,
    { schema: { tags, summary: 'Get a contract with its service lines, state and history (BO-03)', params: idParams, response: { 200: contractResponse } }, preHandler, config: BILLING_RESOURCE },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const found = await getLiveVersion(ctx.db, session.store.id, 'backoffice', request.params.id, 'Contract', isContract);
      void reply.header('etag', etagOf(found.seq));
      return found.data;
    },
  );

  app.post<{ Body: Omit<ContractDoc, 'kind' | 'updatedAt' | 'lines'> & { lines: (Omit<NonNullable<ContractDoc['lines']>[number], 'id'> & { id?: string })[] } }>(
    `${BILLING_API}/contracts`,
    {
      schema: {
        tags,
        summary: 'Add a contract (BO-03): one or more services for a customer, as a draft; activate it afterwards',
        description: ADD_ID_NOTE,
        body: contractCreateBody,
        response: { 200: contractResponse, 201: contractResponse },
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        await getLive(db, session.store.id, 'customers', request.body.customerId!, 'Customer');
        const doc = {
          ...request.body,
          id: request.body.id ?? randomUUID(),
          kind: 'contract',
          lines: request.body.lines.map((line) => ({ ...line, id: line.id ?? randomUUID() })),
          state: 'draft',
          history: [],
          updatedAt: nowIso(),
          _deleted: false,
        };
        // Lines the request sent without an id get a new one each time: a retry is compared without them.
        const comparable = (data: Record<string, unknown>) => ({
          ...data,
          lines: ((data.lines as Record<string, unknown>[] | undefined) ?? []).map((line, i) => (request.body.lines[i]?.id ? line : { ...line, id: undefined })),
        });
        return addOne(db, session, { collection: 'backoffice', what: 'Contract', changeWith: `its transitions (POST ${BILLING_API}/contracts/{id}/activate, …)`, comparable }, request.body.id, doc);
      });
    },
  );

  for (const action of CONTRACT_ACTION_KINDS) registerTransition(app, ctx, preHandler, action);
}

const ACTION_SUMMARY: Record<ContractActionKind, string> = {
  activate: 'Activate a contract (BO-03): from draft or inactive (or suspended)',
  deactivate: 'Deactivate a contract (BO-03): from active; reason required',
  suspend: 'Suspend a contract (BO-03): from active; reason required',
  resume: 'Resume a suspended contract (BO-03)',
  cancel: 'Cancel a contract (BO-03): terminal; reason required, effective date optional',
};

function registerTransition(app: FastifyInstance, ctx: ServerContext, preHandler: ReturnType<typeof authenticate>, action: ContractActionKind): void {
  app.post<{ Params: { id: string }; Body: { reason?: string; effectiveDate?: string } }>(
    `${BILLING_API}/contracts/:id/${action}`,
    {
      schema: {
        tags: ['api: billing contracts'],
        summary: ACTION_SUMMARY[action],
        description:
          'Made as a contract request (backofficeActions), applied with the transition table of sync/rules/contract-state.ts: ' +
          'draft → active ⇄ inactive; active → suspended → active; any but cancelled → cancelled. The history keeps who, when and why. ' +
          'A transition the table does not allow is refused (422 `quarantined`, reason `invalid_transition`) with the allowed ones in the message. ' +
          'With If-Match, one made on a stale read is refused (412 `precondition_failed`): of two sent at once with the same ETag, one applies. ' +
          'The answer carries the contract\'s new ETag, for the next transition\'s If-Match.',
        params: idParams,
        body: transitionBody,
        response: { 200: contractResponse },
      },
      // The body is optional (activate and resume need none).
      preValidation: async (request) => {
        request.body ??= {};
      },
      preHandler,
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      return withIdempotency(ctx.db, session.store.id, request, reply, async (db) => {
        const requestDoc = {
          id: randomUUID(),
          kind: action,
          contractId: request.params.id,
          userId: session.user.id,
          requestedAt: nowIso(),
          ...(request.body?.reason ? { reason: request.body.reason } : {}),
          ...(request.body?.effectiveDate ? { effectiveDate: request.body.effectiveDate } : {}),
          _deleted: false,
        };
        // Transitions are also guarded by the contract's state table; If-Match additionally refuses one made on a stale read,
        // checked with the request written under the same hold of the store's lock (of two sent with one ETag, one applies, the other is 412).
        const contract = await changeOne(db, session, { collection: 'backoffice', id: request.params.id, what: 'Contract', check: isContract }, ifMatchOf(request), () => ({ collection: 'backofficeActions', doc: requestDoc }));
        // Its version after the move: a client chains the next transition on it with If-Match.
        return { status: 200, body: contract.data, headers: { etag: etagOf(contract.seq) } };
      });
    },
  );
}
