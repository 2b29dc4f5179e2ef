import type { FastifyInstance } from 'fastify';
import type { MasterRecord, Sale, WireDocument } from '../../schema/index.ts';
import { normalizeVoucherNumber, voucherBalanceCents, voucherFromRecord, voucherRecordId, voucherSpends } from '../../rules/index.ts';
import { loadDocuments } from '../db/documents.ts';
import { writerOf } from '../auth/ownership.ts';
import { writeBatchIn } from '../sync/write-documents.ts';
import type { Refusal } from '../rules/index.ts';
import { documentSchema } from '../validation/schemas.ts';
import { assertCanWrite, authenticate, sessionOf } from './authenticate.ts';
import type { ServerContext } from './context.ts';
import { ApiProblem, errorResponses, problems } from './problem.ts';

/** Thrown inside the transaction to roll back a refused sale: an online refusal is the cashier's to fix now, not a quarantine entry. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

const balanceSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    number: { type: 'string', description: 'Voucher number, e.g. CX01-42' },
    issuedCents: { type: 'integer', description: 'Value issued, in cents' },
    balanceCents: { type: 'integer', description: 'What is left to spend, in cents' },
    active: { type: 'boolean', description: 'False once the exchange that issued it was cancelled' },
  },
  required: ['number', 'issuedCents', 'balanceCents', 'active'],
} as const;

/**
 * Exchange vouchers (POS-21; design in sync/rules/voucher.ts).
 *
 * - POST /api/pos/voucher-sales: a station that is online records a sale paid (partly) with a voucher
 *   here before keeping it locally. The sale goes through the one write path under the store's lock,
 *   so of two stations spending the same balance at once only the balance is spent: the first is
 *   accepted (200, with the balances left), the second answered 409 with the reason and not kept —
 *   the cashier chooses another payment. Sending the same sale again is a no-op (200). The station
 *   then stores the sale, and its upload finds it already on the server.
 * - GET /api/pos/vouchers/:number: the server's balance of a voucher, for the counter and the admin.
 */
export function registerVoucherRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const preHandler = authenticate(ctx);
  const tags = ['pos'];

  app.post<{ Body: Record<string, unknown> }>(
    '/api/pos/voucher-sales',
    {
      schema: {
        tags,
        summary: 'Record a sale that spends an exchange voucher, confirmed at once (POS-21)',
        description:
          'The sale document as the station would upload it (sales schema). Accepted: the sale is stored and the vouchers it spends show the balance left. ' +
          'Refused (409): nothing is stored; `detail` says why (voucher unknown, void, or its balance already spent elsewhere).',
        body: documentSchema('sales'),
        response: {
          200: { type: 'object', additionalProperties: false, properties: { saleId: { type: 'string' }, vouchers: { type: 'array', items: balanceSchema } }, required: ['saleId', 'vouchers'] },
          ...errorResponses,
        },
      },
      preHandler,
    },
    async (request) => {
      const session = sessionOf(request);
      assertCanWrite(session, 'sales', 'sync');
      const sale = request.body as unknown as Sale;
      const numbers = [...voucherSpends(sale).keys()];
      if (numbers.length === 0) throw new ApiProblem(400, 'validation_failed', 'This sale spends no voucher: upload it through replication like any other sale.', '/payments');
      const writer = writerOf(session, 'sync');
      try {
        const vouchers = await ctx.db.transaction(async (tx) => {
          const row = { newDocumentState: { ...sale, _deleted: false } as unknown as WireDocument };
          const outcome = await writeBatchIn(tx, { storeId: session.store.id, collection: 'sales', checkConflicts: false, sourceStationId: session.stationId, writer, validated: true }, [row]);
          const refused = outcome.quarantined[0];
          if (refused) throw new Refused(refused.refusal);
          const records = await loadDocuments(tx, session.store.id, 'masterdata', numbers.map(voucherRecordId));
          return numbers.flatMap((number) => {
            const record = records.get(voucherRecordId(number));
            return record ? [balanceOf(record.data as unknown as MasterRecord)] : [];
          });
        });
        return { saleId: sale.id, vouchers };
      } catch (error) {
        if (error instanceof Refused) throw new ApiProblem(409, 'business_rule', `${error.refusal.message} (reason: ${error.refusal.reason})`);
        throw error;
      }
    },
  );

  app.get<{ Params: { number: string } }>(
    '/api/pos/vouchers/:number',
    {
      schema: {
        tags,
        summary: "A voucher's value and balance on the server (POS-21)",
        params: { type: 'object', additionalProperties: false, properties: { number: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['number'] },
        response: { 200: balanceSchema, ...errorResponses },
      },
      preHandler,
    },
    async (request) => {
      const session = sessionOf(request);
      const number = normalizeVoucherNumber(request.params.number);
      const record = number ? (await loadDocuments(ctx.db, session.store.id, 'masterdata', [voucherRecordId(number)])).get(voucherRecordId(number)) : undefined;
      if (!record || record.deleted || record.data.kind !== 'voucher') throw problems.notFound(`Voucher ${request.params.number}`);
      return balanceOf(record.data as unknown as MasterRecord);
    },
  );
}

function balanceOf(record: MasterRecord) {
  const state = voucherFromRecord(record);
  return { number: record.code, issuedCents: state.issuedCents, balanceCents: voucherBalanceCents(state), active: record.active };
}
