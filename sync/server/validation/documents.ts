import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { instantProblem, textProblem, type CollectionName, type JsonSchema } from '../../schema/index.ts';
import { documentSchema, SCHEDULED } from './schemas.ts';

/**
 * The last check before a document is stored: every document the server writes — pushed, written
 * through the API, or derived by the server itself (stock after a sale, budgets, purchase orders) —
 * must pass its collection's schema, so what a device pulls it could write back.
 */
export class InvalidDocument extends Error {
  constructor(
    readonly collection: CollectionName,
    readonly id: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${collection} ${id}: field ${field} ${problem}`);
  }
}

// Times are checked where they enter (validator.ts, and instantRefusal below): a record stored before
// that check keeps its time, so its cancellation can still be written.
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
addFormats.default(ajv, ['date-time', 'email', 'uuid']);
ajv.addVocabulary([SCHEDULED]);
ajv.addKeyword({ keyword: 'storableText', type: 'string', schemaType: 'boolean', validate: (_on: boolean, data: string) => textProblem(data) === null });

function withTextRule(schema: JsonSchema): unknown {
  const out: Record<string, unknown> = { ...schema };
  if (schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'))) out.storableText = true;
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, sub]) => [name, withTextRule(sub)]));
  if (schema.items) out.items = withTextRule(schema.items);
  return out;
}

const validators = new Map<CollectionName, ValidateFunction>();
function validatorOf(collection: CollectionName): ValidateFunction {
  let validate = validators.get(collection);
  if (!validate) {
    validate = ajv.compile(withTextRule(documentSchema(collection)) as object);
    validators.set(collection, validate);
  }
  return validate;
}

/** Throws InvalidDocument naming the first field of `data` its collection's schema refuses. */
export function assertValidDocument(collection: CollectionName, id: string, data: Record<string, unknown>): void {
  const validate = validatorOf(collection);
  if (validate(data)) return;
  const error = validate.errors![0]!;
  let field = error.instancePath || '/';
  let problem = error.message ?? 'is invalid';
  if (error.keyword === 'required') field = `${error.instancePath}/${String((error.params as { missingProperty?: string }).missingProperty)}`;
  if (error.keyword === 'additionalProperties') {
    field = `${error.instancePath}/${String((error.params as { additionalProperty?: string }).additionalProperty)}`;
    problem = 'is not a field of this document';
  }
  if (error.keyword === 'storableText' && typeof error.data === 'string') problem = textProblem(error.data) ?? problem;
  throw new InvalidDocument(collection, id, field, problem);
}

// ── Device times that enter through a write ──────────────────────────────────────────────────────

type Step = string | '*';
interface InstantPath {
  steps: Step[];
  /** A planned date (x-scheduled): only readable, not near the clock. */
  window: boolean;
}

function instantPathsOf(schema: JsonSchema, prefix: Step[] = [], into: InstantPath[] = []): InstantPath[] {
  if (schema.format === 'date-time') into.push({ steps: prefix, window: (schema as Record<string, unknown>)[SCHEDULED] !== true });
  for (const [name, sub] of Object.entries(schema.properties ?? {})) instantPathsOf(sub, [...prefix, name], into);
  if (schema.items) instantPathsOf(schema.items, [...prefix, '*'], into);
  return into;
}

const instantPaths = new Map<CollectionName, InstantPath[]>();

function valuesAt(value: unknown, path: readonly Step[], at: (string | number)[] = []): { at: (string | number)[]; value: unknown }[] {
  if (path.length === 0) return [{ at, value }];
  const [step, ...rest] = path;
  if (step === '*') return Array.isArray(value) ? value.flatMap((item, index) => valuesAt(item, rest, [...at, index])) : [];
  if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, step!)) return [];
  return valuesAt((value as Record<string, unknown>)[step!], rest, [...at, step!]);
}

function valueAt(value: unknown, at: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of at) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The first device time in `doc` that is not a readable, plausible instant and was not already stored
 * in `stored` at the same place (a legacy record keeps its time through a cancellation); null if none.
 */
export function newInstantProblem(collection: CollectionName, doc: Record<string, unknown>, stored: Record<string, unknown> | undefined): { field: string; problem: string } | null {
  let paths = instantPaths.get(collection);
  if (!paths) {
    paths = instantPathsOf(documentSchema(collection));
    instantPaths.set(collection, paths);
  }
  for (const path of paths) {
    for (const { at, value } of valuesAt(doc, path.steps)) {
      if (typeof value !== 'string') continue;
      const problem = instantProblem(value, { window: path.window });
      if (problem && (stored === undefined || valueAt(stored, at) !== value)) return { field: `/${at.join('/')}`, problem: `${JSON.stringify(value)} ${problem}` };
    }
  }
  return null;
}
