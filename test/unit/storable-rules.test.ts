import { describe, expect, it } from 'vitest';
import {
  COLLECTION_NAMES,
  COLLECTIONS,
  findTextProblem,
  INT4_MAX,
  instantProblem,
  SEQ_MAX,
  storableCopy,
  textProblem,
  type JsonSchema,
} from '../../sync/schema/index.ts';
import { compileBodyValidator, describeValidationError, validatorCompiler, withStorageRules } from '../../sync/server/validation/validator.ts';
import { documentSchema, pushBodySchema } from '../../sync/server/validation/schemas.ts';
import { newInstantProblem } from '../../sync/server/validation/documents.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;

describe('what the database can store (issue 14)', () => {
  it('text: NUL and unpaired surrogates are named with their position; paired surrogates (emoji) are text', () => {
    expect(textProblem('Cliente 1')).toBeNull();
    expect(textProblem('Cliente 😀 ção')).toBeNull();
    expect(textProblem('a\u0000b')).toMatch(/U\+0000 \(NUL\) at position 1/);
    expect(textProblem('ab\uD800')).toMatch(/unpaired UTF-16 surrogate \(U\+D800\) at position 2/);
    expect(textProblem('\uDE00x')).toMatch(/U\+DE00/);
    expect(findTextProblem({ a: [{ b: 'ok' }, { 'c/d': 'x\u0000' }] })).toEqual({ field: '/a/1/c~1d', problem: expect.stringMatching(/NUL/) });
    expect(findTextProblem({ ['k\u0000']: 1 })).toEqual({ field: '/k\u0000', problem: expect.stringMatching(/field name/) });
    expect(storableCopy({ ['k\u0000']: ['a\uD800', 1] })).toEqual({ ['k\uFFFD']: ['a\uFFFD', 1] });
  });

  it('instants: PostgreSQL and JavaScript read them, offsets within ±14:00, device times in 2000 … now + 7 days', () => {
    const ok = (value: string) => instantProblem(value, { now: NOW });
    expect(ok('2026-11-23T13:00:00Z')).toBeNull();
    expect(ok('2026-11-23T13:00:00.123456789-03:00')).toBeNull();
    expect(ok('2026-11-23T13:00:00+14:00')).toBeNull();
    // A station whose clock runs two days off either way still sells.
    expect(ok(new Date(NOW + 2 * DAY).toISOString())).toBeNull();
    expect(ok(new Date(NOW - 2 * DAY).toISOString())).toBeNull();
    expect(ok('2026-11-23T13:00:00+20:00')).toMatch(/offset \+20:00/);
    expect(ok('2026-11-23T13:00:00+14:30')).toMatch(/offset/);
    expect(ok('2026-11-23T13:00:00+03:60')).toMatch(/offset/);
    expect(ok('0000-01-01T00:00:00Z')).toMatch(/no such date/);
    expect(ok('2026-02-29T00:00:00Z')).toMatch(/no such date/);
    expect(ok('2028-02-29T00:00:00Z')).toMatch(/ahead/);
    expect(ok('2026-11-23T24:00:00Z')).toMatch(/no such time/);
    expect(ok('2016-12-31T23:59:60Z')).toMatch(/no such time/);
    expect(ok('2026-11-23 13:00:00Z')).toMatch(/not an ISO-8601 instant/);
    expect(ok('2026-11-23T13:00Z')).toMatch(/not an ISO-8601 instant/);
    expect(ok('1999-12-31T23:59:59Z')).toMatch(/before 2000-01-01/);
    expect(ok('1970-01-01T00:00:00Z')).toMatch(/before 2000-01-01/);
    expect(ok(new Date(NOW + 8 * DAY).toISOString())).toMatch(/more than 7 days ahead/);
    // A planned date (a promotion's end) may lie years ahead, but must still be readable.
    expect(instantProblem('2031-01-01T00:00:00Z', { window: false, now: NOW })).toBeNull();
    expect(instantProblem('2031-01-01T00:00:00+20:00', { window: false, now: NOW })).toMatch(/offset/);
  });

  it('the validator adds the rules to every string, time and unbounded integer of a schema, and names the field', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
        count: { type: 'integer' },
        seq: { type: 'integer', minimum: 0, maximum: SEQ_MAX },
        list: { type: 'array', items: { type: 'string' } },
        either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      },
    };
    const hardened = withStorageRules(schema) as { properties: Record<string, Record<string, unknown>> };
    expect(hardened.properties.name).toMatchObject({ storableText: true });
    expect(hardened.properties.at).toMatchObject({ instant: 'plausible' });
    expect(hardened.properties.at!.format).toBeUndefined();
    expect(hardened.properties.count).toMatchObject({ minimum: -2_147_483_648, maximum: INT4_MAX });
    expect(hardened.properties.seq).toMatchObject({ minimum: 0, maximum: SEQ_MAX });
    expect(hardened.properties.list!.items).toMatchObject({ storableText: true });
    expect((hardened.properties.either!.oneOf as unknown[])[1]).toMatchObject({ maximum: INT4_MAX });
    // The route's own schema stays as written (the API document shows it).
    expect(schema.properties.at.format).toBe('date-time');

    const validate = compileBodyValidator(schema);
    for (const [body, field, message] of [
      [{ name: 'a\u0000' }, '/name', /U\+0000/],
      [{ list: ['ok', '\uD800'] }, '/list/1', /surrogate/],
      [{ at: '2026-11-23T13:00:00+20:00' }, '/at', /"2026-11-23T13:00:00\+20:00" has offset \+20:00/],
      [{ count: 2 ** 31 }, '/count', /<= 2147483647/],
      [{ seq: 1e20 }, '/seq', /<= 9007199254740991/],
    ] as const) {
      expect(validate(body)).toBe(false);
      const described = describeValidationError(validate.errors![0]!, 'body');
      expect(described.field).toBe(field);
      expect(described.message).toMatch(message);
    }
  });

  it('equal route schemas share one compiled validator however they were built (each server start compiled them all again: 2.3 s of 2.5 s), and a different schema or request part gets its own', () => {
    const schema = () => ({ type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', maxLength: 8 }, at: { type: 'string', format: 'date-time' } } });
    const body = validatorCompiler({ schema: schema(), httpPart: 'body', method: 'POST', url: '/a' }) as unknown as (data: unknown) => boolean;
    expect(validatorCompiler({ schema: schema(), httpPart: 'body', method: 'PUT', url: '/b' })).toBe(body);
    // The rules still apply through the shared one.
    expect(body({ code: 'ok' })).toBe(true);
    expect(body({ code: 'no\u0000' })).toBe(false);
    expect(body({ code: 'ok', at: '1999-01-01T00:00:00Z' })).toBe(false);
    // Query strings coerce, bodies do not: never the same validator for one schema.
    const query = validatorCompiler({ schema: { type: 'object', properties: { limit: { type: 'integer' } } }, httpPart: 'querystring', method: 'GET', url: '/c' }) as unknown as (data: unknown) => boolean;
    const bodyOfSame = validatorCompiler({ schema: { type: 'object', properties: { limit: { type: 'integer' } } }, httpPart: 'body', method: 'POST', url: '/c' }) as unknown as (data: unknown) => boolean;
    expect(query).not.toBe(bodyOfSame);
    expect(query({ limit: '5' })).toBe(true);
    expect(bodyOfSame({ limit: '5' })).toBe(false);
    expect(validatorCompiler({ schema: { ...schema(), required: [] }, httpPart: 'body', method: 'POST', url: '/a' })).not.toBe(body);
  });

  it('a push row may carry a time the server already stored, unchanged (a legacy sale being cancelled); nothing else', () => {
    const validate = compileBodyValidator(pushBodySchema('auditEvents', 10));
    const legacy = { id: 'a1', at: '2026-11-23T13:00:00+20:00', userId: 'u', stationId: 's', action: 'sale', _deleted: false };
    expect(validate([{ newDocumentState: legacy, assumedMasterState: legacy }])).toBe(true);
    expect(validate([{ newDocumentState: legacy, assumedMasterState: null }])).toBe(false);
    expect(validate([{ newDocumentState: legacy, assumedMasterState: { ...legacy, at: '2026-11-23T13:00:00Z' } }])).toBe(false);
    // What the device last saw may be a version the server refused (NUL in a name it now corrects): only compared, never stored.
    expect(validate([{ newDocumentState: { ...legacy, at: '2026-11-23T13:00:00Z' }, assumedMasterState: { ...legacy, detail: 'a\u0000' } }])).toBe(true);
    expect(validate([{ newDocumentState: { ...legacy, at: '2026-11-23T13:00:00Z', detail: 'a\u0000' }, assumedMasterState: null }])).toBe(false);
    // The write path checks the carried time against the stored document, so a forged assumed state gains nothing.
    expect(newInstantProblem('auditEvents', legacy, undefined)).toMatchObject({ field: '/at' });
    expect(newInstantProblem('auditEvents', legacy, legacy)).toBeNull();
    expect(newInstantProblem('auditEvents', { ...legacy, at: '2026-11-23T13:00:00Z' }, legacy)).toBeNull();
  });

  it('every integer of every collection has bounds JavaScript and PostgreSQL hold; every time is a date-time', () => {
    const found: string[] = [];
    const walk = (schema: JsonSchema, path: string) => {
      if (schema.type === 'integer' || schema.type === 'number') {
        const bounded = typeof schema.minimum === 'number' && typeof schema.maximum === 'number' && Number.isSafeInteger(schema.minimum) && Number.isSafeInteger(schema.maximum);
        if (!bounded || schema.type === 'number') found.push(path);
      }
      for (const [name, sub] of Object.entries(schema.properties ?? {})) walk(sub, `${path}/${name}`);
      if (schema.items) walk(schema.items, `${path}/*`);
    };
    for (const name of COLLECTION_NAMES) walk(COLLECTIONS[name].schema, name);
    expect(found).toEqual([]);
  });

  it('append-only is declared wherever a schema says so, and planned dates are fields of their schema', () => {
    for (const name of COLLECTION_NAMES) {
      const says = /append-only|immutable once written/i.test(COLLECTIONS[name].schema.description ?? '');
      expect({ name, appendOnly: COLLECTIONS[name].appendOnly === true }).toEqual({ name, appendOnly: says });
      // documentSchema throws on a scheduledTimes pointer that names no field.
      expect(() => documentSchema(name)).not.toThrow();
    }
    const promotion = (documentSchema('masterdata').properties!.promotion!.properties!.endsAt as Record<string, unknown>);
    expect(promotion['x-scheduled']).toBe(true);
  });
});
