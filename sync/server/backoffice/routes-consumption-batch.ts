import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConsumptionRecord, ContractDoc, ServiceDoc } from '../../schema/index.ts';
import { checkConsumptionRows, CONSUMPTION_COLUMNS, keyIndex, matchHeaders, type RowError } from '../../rules/index.ts';
import { loadDocumentsByField, lockStoreSequence } from '../db/documents.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Session } from '../auth/sessions.ts';
import { writeBatchIn } from '../sync/write-documents.ts';
import { writerOf } from '../auth/ownership.ts';
import { authenticate, sessionOf } from '../http/authenticate.ts';
import type { ServerContext } from '../http/context.ts';
import { ApiProblem, errorBodySchema, errorResponses } from '../http/problem.ts';
import { withIdempotency, type Answer } from '../http/idempotency.ts';
import { XLSX_TYPE } from '../http/xlsx.ts';
import { acceptXlsxUploads, readXlsxUpload } from '../http/xlsx-upload.ts';
import { consumptionCreateBody } from './api-schemas.ts';
import { assertBackoffice } from './documents.ts';
import { BILLING_API, BILLING_RESOURCE } from './routes.ts';
import { usageWarnings } from './usage-warnings.ts';

/**
 * Consumption batch (BO-04, API-03): many usage records in one call, as JSON items (contract and service
 * by id) or as an .xlsx upload in the template's columns (contract and service by code, like the
 * device's import). Idempotent by external id: a known one updates its record, an equal one is left alone.
 * With an Idempotency-Key (an .xlsx known by its bytes) a retried batch replays its first report, so it
 * cannot write its old values again over a change made since (API-05, http/idempotency.ts).
 *
 * Semantics, the same as the device's spreadsheet import:
 * - `dryRun=true`: every row is checked, the writes are made and rolled back: the answer lists every
 *   problem (row and column for a sheet, JSON pointer for items) and nothing stays written.
 * - `mode=all` (default): all or nothing — one bad row and nothing is written (422 with the same report).
 * - `mode=valid`: the good rows are written; the refused ones are listed (and a refusal by a business
 *   rule is kept in GET /api/sync/errors, fixable, like any refused upload).
 * - Every answer lists `warnings`: accepted rows with an implausible quantity (usage-plausibility.ts),
 *   written like the others (a dry run shows them before anything is written).
 */
const MAX_ITEMS = 10_000;

interface BatchError {
  row?: number;
  column?: string;
  pointer?: string;
  reason: string;
}

interface BatchReport {
  dryRun: boolean;
  mode: 'all' | 'valid';
  /** Rows (or items) read, blank rows excluded. */
  checked: number;
  /** Rows that are (or, in a dry run / refused batch, would be) written: added or changed. */
  accepted: number;
  /** Records actually written by this call (0 in a dry run or a refused all-or-nothing batch). */
  written: number;
  /** Rows equal to their record: nothing to write. */
  unchanged: number;
  errors: BatchError[];
  /** Rows (or items) that are accepted but carry an implausible quantity (sync/rules/usage-plausibility.ts): check them. */
  warnings: BatchError[];
}

// An item is matched by its externalId; the server names a new record. An `id` was accepted and ignored
// (the record stored under another): refused now, 400 on /items/n/id.
const { id: _itemId, ...itemProperties } = consumptionCreateBody.properties ?? {};
const itemSchema = { ...consumptionCreateBody, properties: itemProperties, required: ['externalId', 'contractId', 'serviceId', 'quantity', 'date'] };
const errorSchema = { type: 'object', properties: { row: { type: 'integer' }, column: { type: 'string' }, pointer: { type: 'string' }, reason: { type: 'string' } }, required: ['reason'] };
const reportSchema = {
  type: 'object',
  properties: {
    dryRun: { type: 'boolean' },
    mode: { type: 'string', enum: ['all', 'valid'] },
    checked: { type: 'integer' },
    accepted: { type: 'integer' },
    written: { type: 'integer' },
    unchanged: { type: 'integer' },
    errors: { type: 'array', items: errorSchema },
    warnings: { type: 'array', items: errorSchema, description: 'Accepted rows (or items) whose quantity is implausible (more than 1,000,000 units, or a charge above R$ 100,000.00 in one record): written like the others, listed for a second look.' },
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
  required: ['dryRun', 'mode', 'checked', 'accepted', 'written', 'unchanged', 'errors', 'warnings'],
};

class RolledBack extends Error {
  constructor(readonly report: BatchReport) {
    super('rolled back');
  }
}

type Candidate = { where: { row: number } | { index: number }; record: Omit<ConsumptionRecord, 'id' | 'updatedAt'> };

async function backofficeDocs(db: Queryable, storeId: string): Promise<{ contracts: ContractDoc[]; services: ServiceDoc[] }> {
  const rows = await db.query<{ data: ContractDoc | ServiceDoc }>("SELECT data FROM documents WHERE store_id = $1 AND collection = 'backoffice' AND NOT deleted", [storeId]);
  const docs = rows.map((row) => row.data);
  return { contracts: docs.filter((doc): doc is ContractDoc => doc.kind === 'contract'), services: docs.filter((doc): doc is ServiceDoc => doc.kind === 'service') };
}

type UploadedSheet = { rows: Awaited<ReturnType<typeof readXlsxUpload>>['rows']; mapping: ReturnType<typeof matchHeaders>['mapping'] };

/** The uploaded .xlsx read, its header matched to the template's columns (400 when one is missing). */
async function readSheet(body: unknown): Promise<UploadedSheet> {
  const sheet = await readXlsxUpload(body);
  const match = matchHeaders(sheet.header, CONSUMPTION_COLUMNS);
  if (match.missing.length) {
    throw new ApiProblem(400, 'validation_failed', `The sheet lacks the column(s) ${match.missing.join(', ')}. Row 1 must name them (template: ${CONSUMPTION_COLUMNS.map((c) => c.header).join(', ')}).`);
  }
  return { rows: sheet.rows, mapping: match.mapping };
}

/** Sheet rows → candidates (contract and service by code) and the bad cells, with the device's rules. */
async function fromSheet(db: Queryable, storeId: string, sheet: UploadedSheet): Promise<{ candidates: Candidate[]; errors: BatchError[]; checked: number }> {
  const { contracts, services } = await backofficeDocs(db, storeId);
  // By key, as the uniqueness of codes compares them ("tel" names service TEL; sync/rules/record-keys.ts).
  const contractByCode = keyIndex('code', contracts, (contract) => contract.code);
  const serviceByCode = keyIndex('code', services, (service) => service.code);
  const checked = checkConsumptionRows(sheet.rows, sheet.mapping, {
    contract: (code) => {
      const contract = contractByCode(code);
      return contract ? { id: contract.id, serviceIds: (contract.lines ?? []).map((line) => line.serviceId) } : undefined;
    },
    service: serviceByCode,
  });
  const bad = new Set(checked.errors.map((error: RowError) => error.row));
  return {
    candidates: checked.records.map(({ row, record }) => ({ where: { row }, record })),
    errors: checked.errors.map((error) => ({ row: error.row, column: error.column, reason: error.reason })),
    checked: checked.records.length + bad.size,
  };
}

function fromItems(body: unknown): { candidates: Candidate[]; errors: BatchError[]; checked: number } {
  const items = (body as { items?: Omit<ConsumptionRecord, 'id' | 'updatedAt'>[] }).items ?? [];
  const seen = new Map<string, number>();
  const errors: BatchError[] = [];
  const candidates: Candidate[] = [];
  items.forEach((item, index) => {
    const earlier = seen.get(item.externalId);
    if (earlier !== undefined) errors.push({ pointer: `/items/${index}/externalId`, reason: `repeated external id (already in /items/${earlier})` });
    else {
      seen.set(item.externalId, index);
      candidates.push({ where: { index }, record: item });
    }
  });
  return { candidates, errors, checked: items.length };
}

const FIELDS = ['contractId', 'serviceId', 'date', 'quantity', 'description'] as const;

export function registerConsumptionBatchRoute(app: FastifyInstance, ctx: ServerContext): void {
  acceptXlsxUploads(app);
  app.post<{ Querystring: { dryRun: boolean; mode: 'all' | 'valid' }; Body: unknown }>(
    `${BILLING_API}/consumption/batch`,
    {
      schema: {
        tags: ['api: billing consumption'],
        summary: 'Add or change many consumption records (BO-04, API-03): JSON items, or an .xlsx upload in the template columns; dry run, all or nothing, or only the valid rows',
        description:
          `JSON: \`{ "items": [{ externalId, contractId, serviceId, date, quantity, description? }] }\` (up to ${MAX_ITEMS}); errors carry a JSON pointer. ` +
          `.xlsx (Content-Type ${XLSX_TYPE}): columns ${CONSUMPTION_COLUMNS.map((c) => c.header).join(', ')} (contract and service by code, date DD/MM/AAAA, whole quantities; headers matched ignoring case, accents and spacing); errors carry the row (header = 1) and column. ` +
          'A known external id updates its record; `dryRun=true` writes nothing; `mode=all` (default) writes nothing when any row is bad (422, same report); `mode=valid` writes the good rows. `warnings` lists accepted rows whose quantity is implausible (more than 1,000,000 units, or a charge above R$ 100,000.00 in one record).',
        querystring: { type: 'object', properties: { dryRun: { type: 'boolean', default: false }, mode: { type: 'string', enum: ['all', 'valid'], default: 'all' } } },
        body: {
          content: {
            'application/json': { schema: { type: 'object', additionalProperties: false, properties: { items: { type: 'array', minItems: 1, maxItems: MAX_ITEMS, items: itemSchema } }, required: ['items'] } },
            // Any bytes: the file is read by readXlsxUpload, which answers a clear problem for what it cannot read.
            [XLSX_TYPE]: { schema: { description: 'The .xlsx file itself (binary), first worksheet, header in row 1' } },
          },
        },
        // 422: the refused batch's report, or a problem (an Idempotency-Key already used for another request).
        response: { 200: reportSchema, 422: { anyOf: [reportSchema, errorBodySchema] }, ...errorResponses },
      },
      preHandler: authenticate(ctx),
      config: BILLING_RESOURCE,
    },
    async (request, reply) => {
      const session = sessionOf(request);
      assertBackoffice(session);
      const { dryRun, mode } = request.query;
      const storeId = session.store.id;
      // Read before the request's transaction opens: a big sheet takes seconds, which PGlite's one connection must not wait for.
      const sheet = Buffer.isBuffer(request.body) ? await readSheet(request.body) : null;
      // A retried batch (same Idempotency-Key) replays its report instead of writing its rows again over later changes (API-05).
      return withIdempotency(ctx.db, storeId, request, reply, async (db) => {
        const input = sheet ? await fromSheet(db, storeId, sheet) : fromItems(request.body);
        return batchAnswer(db, { storeId, session, dryRun, mode, input });
      });
    },
  );
}

/** The batch written in a transaction of `db` (a savepoint of the request's), rolled back for a dry run or a refused all-or-nothing batch. */
async function batchAnswer(
  db: Database,
  { storeId, session, dryRun, mode, input }: { storeId: string; session: Session; dryRun: boolean; mode: 'all' | 'valid'; input: { candidates: Candidate[]; errors: BatchError[]; checked: number } },
): Promise<Answer> {
  const now = new Date().toISOString();
  const run = async (tx: Queryable): Promise<BatchReport> => {
    await lockStoreSequence(tx, storeId);
    const existing = await loadDocumentsByField(tx, storeId, 'consumption', ['externalId'], input.candidates.map((c) => c.record.externalId));
    const live = new Map([...existing.values()].filter((doc) => !doc.deleted).map((doc) => [String(doc.data.externalId), doc.data as unknown as ConsumptionRecord]));
    const where = new Map<string, Candidate['where']>();
    const docs: ConsumptionRecord[] = [];
    let unchanged = 0;
    for (const candidate of input.candidates) {
      const previous = live.get(candidate.record.externalId);
      const doc: ConsumptionRecord = { ...(previous ?? {}), ...candidate.record, id: previous?.id ?? randomUUID(), userId: session.user.id, updatedAt: now };
      if (!candidate.record.description) delete doc.description;
      if (previous && FIELDS.every((field) => previous[field] === doc[field])) {
        unchanged++;
        continue;
      }
      where.set(doc.id, candidate.where);
      docs.push(doc);
    }
    // The server's own rules (billed period, cancelled contract, the contract's services) decide, as for any upload.
    const outcome = docs.length ? await writeBatchIn(tx, { storeId, collection: 'consumption', checkConflicts: false, writer: writerOf(session, 'api') }, docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false } }))) : null;
    const refused: BatchError[] = (outcome?.quarantined ?? []).map(({ id, refusal }) => {
      const at = where.get(id)!;
      return 'row' in at ? { row: at.row, column: 'Data', reason: refusal.message } : { pointer: `/items/${at.index}`, reason: refusal.message };
    });
    const errors = [...input.errors, ...refused].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const refusedIds = new Set((outcome?.quarantined ?? []).map(({ id }) => id));
    const accepted = docs.filter((doc) => !refusedIds.has(doc.id));
    const found = await usageWarnings(tx, storeId, accepted);
    const warnings: BatchError[] = [];
    accepted.forEach((doc, i) => {
      const warning = found[i];
      if (!warning) return;
      const at = where.get(doc.id)!;
      warnings.push('row' in at ? { row: at.row, column: 'Quantidade', reason: warning.message } : { pointer: `/items/${at.index}/quantity`, reason: warning.message });
    });
    const report: BatchReport = { dryRun, mode, checked: input.checked, accepted: docs.length - refused.length, written: 0, unchanged, errors, warnings };
    if (dryRun || (mode === 'all' && errors.length > 0)) throw new RolledBack(report);
    return { ...report, written: outcome?.written.length ?? 0 };
  };
  try {
    return { status: 200, body: await db.transaction(run) };
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    if (dryRun) return { status: 200, body: error.report };
    return { status: 422, body: { ...error.report, error: { code: 'validation_failed', message: `${error.report.errors.length} problem(s): nothing was written. Fix them and send the batch again, or send mode=valid to write only the good rows.` } } };
  }
}
