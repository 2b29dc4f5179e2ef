import type { ValidateFunction } from 'ajv';
import { COLLECTIONS, storableCopy, textProblem, type CollectionName, type PushRow } from '../../schema/index.ts';
import type { QuarantineEntry } from '../db/quarantine.ts';
import { pushBodySchema } from '../validation/schemas.ts';
import { compileBodyValidator, describeValidationError } from '../validation/validator.ts';

const validators = new Map<CollectionName, ValidateFunction>();

/** The push body's own validator (the route's schema, the route's rules), applied to a body of one row. */
function rowValidator(collection: CollectionName, maxRows: number): ValidateFunction {
  let validate = validators.get(collection);
  if (!validate) validators.set(collection, (validate = compileBodyValidator(pushBodySchema(collection, maxRows))));
  return validate;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A push body the schema refused, split row by row (issue 11: an over-limit fee keyed in offline was
 * answered 400 for its whole batch, and the device, bisecting, gave the row up): the rows that pass
 * the push schema are written as usual; each one that does not is that row's refusal, kept in
 * quarantine with the field and the problem (reason invalid_value), shown on the device and fixable.
 * Returns null when the body is not even a list of rows that name their document (at most `maxRows`,
 * each `newDocumentState` an object with the collection's key, a string of 1–64 characters that text
 * can hold): that stays a 400, since there is nothing to keep a refusal under. A document sent twice
 * counts once, its last row, as in every write (write-documents.ts).
 *
 * @param stationId the sender's station: a refused row is listed for it, whatever station the row claims
 */
export function splitMalformedRows(collection: CollectionName, body: unknown, maxRows: number, stationId: string | null): { rows: PushRow[]; malformed: QuarantineEntry[] } | null {
  if (!Array.isArray(body) || body.length > maxRows) return null;
  const primary = COLLECTIONS[collection].schema.primaryKey as string;
  for (const row of body) {
    const id = isObject(row) && isObject(row.newDocumentState) ? row.newDocumentState[primary] : undefined;
    if (typeof id !== 'string' || id.length === 0 || id.length > 64 || textProblem(id) !== null) return null;
  }
  const last = new Map<string, PushRow>();
  for (const row of body as PushRow[]) last.set(String(row.newDocumentState[primary]), row);
  const validate = rowValidator(collection, maxRows);
  const rows: PushRow[] = [];
  const malformed: QuarantineEntry[] = [];
  for (const row of last.values()) {
    if (validate([row])) {
      rows.push(row);
      continue;
    }
    const { message } = describeValidationError(validate.errors![0]!);
    const document = row.newDocumentState;
    const id = String(document[primary]);
    const what = message.replace(/^Invalid request: body field \/0\/newDocumentState\//, 'field ').replace(/^Invalid request: body field \/0\//, 'field ').replace(/ Fix the data and send it again\.$/, '');
    malformed.push({ documentId: id, stationId, reason: 'invalid_value', message: storableCopy(`${collection} ${id}: ${what} Correct it and save again.`), document: storableCopy(document) });
  }
  return { rows, malformed };
}
