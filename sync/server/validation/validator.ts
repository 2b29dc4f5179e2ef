import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { INT4_MAX, INT4_MIN, instantProblem, textProblem } from '../../schema/index.ts';
import { SCHEDULED } from './schemas.ts';

/** `plausible`: a clock reading, in the window of storable.ts; `readable`: a planned date, only readable. */
type InstantKind = 'plausible' | 'readable';

/**
 * Every route's body, query string and path go through these validators, and what they accept the
 * database can hold (sync/schema/storable.ts). The rules are added here, once, to every schema that
 * is compiled, instead of being written into each route:
 * - every string: no NUL and no unpaired surrogate (PostgreSQL refuses the one and mangles the other);
 * - every `date-time`: an instant PostgreSQL and JavaScript read, in the device-time window;
 * - every integer without bounds: bounded to PostgreSQL `integer` (wider bounds are written out where
 *   a column is bigint, e.g. sequence numbers); every number finite.
 */

const SUBSCHEMA = new Set(['items', 'additionalItems', 'contains', 'not', 'if', 'then', 'else', 'propertyNames', 'additionalProperties']);
const SUBSCHEMA_LISTS = new Set(['oneOf', 'anyOf', 'allOf', 'prefixItems']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

function typesOf(schema: Record<string, unknown>): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The schema with the storage rules added to every string, instant and integer in it (a copy; route schemas stay as written for the API document). */
export function withStorageRules(schema: unknown): unknown {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (SUBSCHEMA.has(key)) out[key] = withStorageRules(value);
    else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(withStorageRules);
    else if (SUBSCHEMA_MAPS.has(key) && value && typeof value === 'object') out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withStorageRules(sub)]));
    else out[key] = value;
  }
  const types = typesOf(source);
  if (types.includes('string')) out.storableText = true;
  if (out.format === 'date-time') {
    delete out.format;
    // A planned date (x-scheduled) may lie years ahead; every other time is a clock reading.
    out.instant = source[SCHEDULED] === true ? 'readable' : 'plausible';
  }
  if (types.includes('integer')) {
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = INT4_MIN;
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = INT4_MAX;
  }
  // Query text like "1e400" coerces to Infinity, which ajv's type and range checks let through.
  if (types.includes('integer') || types.includes('number')) out.finiteNumber = true;
  return out;
}

/** Where a value sits in a push body: `newDocumentState` (stored) or `assumedMasterState` (only compared). */
function pushRowPart(cxt: DataValidationCxt | undefined): { row: unknown; part: string | undefined; rest: string[] } | null {
  const root = cxt?.rootData;
  if (!Array.isArray(root)) return null;
  const path = (cxt?.instancePath ?? '').split('/').slice(1).map((segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { row: root[Number(path[0])], part: path[1], rest: path.slice(2) };
}

/**
 * A push row's `assumedMasterState` is never stored, only compared with the stored document: it is
 * what the device last saw, which may be a version the server refused (a name with NUL that the
 * device then corrects) or a time stored before times were checked. Its strings pass as they are.
 */
function onlyCompared(cxt: DataValidationCxt | undefined): boolean {
  return pushRowPart(cxt)?.part === 'assumedMasterState';
}

/**
 * A push row may carry, unchanged, a time the server stored before these rules existed (a legacy
 * sale being cancelled): it sits at the same place in the row's `assumedMasterState`. The write path
 * checks that such a value really is the stored one (sync/server/sync/write-documents.ts).
 */
function storedBefore(value: string, cxt: DataValidationCxt | undefined): boolean {
  const at = pushRowPart(cxt);
  if (!at) return false;
  if (at.part === 'assumedMasterState') return true;
  if (at.part !== 'newDocumentState') return false;
  let assumed: unknown = (at.row as { assumedMasterState?: unknown } | undefined)?.assumedMasterState;
  for (const key of at.rest) {
    if (assumed === null || typeof assumed !== 'object' || !Object.prototype.hasOwnProperty.call(assumed, key)) return false;
    assumed = (assumed as Record<string, unknown>)[key];
  }
  return assumed === value;
}

function createAjv(coerceTypes: boolean): Ajv {
  // verbose: errors carry the offending value, so the answer can say exactly what is wrong with it.
  const ajv = new Ajv({ allErrors: false, coerceTypes, useDefaults: coerceTypes, strict: true, allowUnionTypes: true, verbose: true, discriminator: true });
  // OpenAPI annotations that may sit in route schemas.
  ajv.addVocabulary(['example', 'xml', 'externalDocs', SCHEDULED]);
  addFormats.default(ajv, ['date-time', 'email', 'uuid']);
  // Not `type: 'number'`: ajv runs those keywords only for finite numbers, which is the point here.
  ajv.addKeyword({ keyword: 'finiteNumber', schemaType: 'boolean', validate: (_on: boolean, data: unknown) => typeof data !== 'number' || Number.isFinite(data) });
  ajv.addKeyword({
    keyword: 'storableText',
    type: 'string',
    schemaType: 'boolean',
    validate: (_on: boolean, data: string, _parent?: unknown, cxt?: DataValidationCxt) => textProblem(data) === null || onlyCompared(cxt),
  });
  ajv.addKeyword({
    keyword: 'instant',
    type: 'string',
    schemaType: 'string',
    validate: (kind: InstantKind, data: string, _parent?: unknown, cxt?: DataValidationCxt) =>
      instantProblem(data, { window: kind === 'plausible' }) === null || storedBefore(data, cxt),
  });
  return ajv;
}

// Bodies are checked exactly as RxDB would; query strings and params arrive as text and need coercion.
const bodyAjv = createAjv(false);
const urlAjv = createAjv(true);

/**
 * Compiled validators, per ajv by schema text. Each server instance compiles its routes' schemas when it
 * starts, and compiling them took 2.3 s of a 2.5 s start (a CPU profile of startServer): once per process
 * for the app, but the test suites start hundreds of servers in a few processes. A validator depends only on
 * its schema and its ajv (a pure function of the data), so equal schemas share one, however a route module
 * built them; without this, each start also left hundreds more compiled schemas in the ajv's own cache.
 * Bounded by the number of distinct schemas.
 */
const compiledValidators = new Map<Ajv, Map<string, ValidateFunction>>([
  [bodyAjv, new Map()],
  [urlAjv, new Map()],
]);

/** `schema` with the storage rules, compiled by `ajv` once per process (see compiledValidators). */
function compileOnce(ajv: Ajv, schema: unknown): ValidateFunction {
  const compiled = compiledValidators.get(ajv)!;
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(withStorageRules(schema) as object)));
  return validate;
}

/** Fastify validator compiler: our own ajv so schemas behave identically everywhere they are used. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  compileOnce(httpPart === 'body' ? bodyAjv : urlAjv, schema) as ReturnType<FastifySchemaCompiler<unknown>>;

/** A validator for JSON that is not a request (answers of outside systems), with the same rules. */
export function compileBodyValidator<T = unknown>(schema: object): ValidateFunction<T> {
  return compileOnce(bodyAjv, schema) as ValidateFunction<T>;
}

const PARTS: Record<string, string> = { body: 'body field', querystring: 'query parameter', params: 'path parameter', headers: 'header' };

function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** "`/0/newDocumentState/priceCents` must be >= 0" — names the field so the sender can fix it. */
export function describeValidationError(error: Pick<ErrorObject, 'instancePath' | 'message' | 'params' | 'keyword' | 'data' | 'schema'>, part = 'body'): { field: string; message: string } {
  let field = error.instancePath || '';
  let problem = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty ?? '');
    field = `${field}/${missing}`;
    problem = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty?: string }).additionalProperty ?? '');
    field = `${field}/${extra}`;
    problem = 'is not a field of this document; remove it';
  } else if (error.keyword === 'finiteNumber') {
    problem = `must be a finite number (got ${quoted(error.data)})`;
  } else if (error.keyword === 'storableText' && typeof error.data === 'string') {
    problem = textProblem(error.data) ?? problem;
  } else if (error.keyword === 'instant' && typeof error.data === 'string') {
    const window = error.schema === 'plausible';
    problem = `${quoted(error.data)} ${instantProblem(error.data, { window }) ?? 'is not a valid instant'}`;
  }
  const where = field === '' ? `the ${part === 'body' ? 'body' : `${part} of the request`}` : `${PARTS[part] ?? part} ${field}`;
  return { field: field || '/', message: `Invalid request: ${where} ${problem}. Fix the data and send it again.` };
}
