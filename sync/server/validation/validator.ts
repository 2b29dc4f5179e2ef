import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, coerceTypes, useDefaults: coerceTypes, strict: true, allowUnionTypes: true });
  // OpenAPI annotations that may sit in route schemas.
  ajv.addVocabulary(['example', 'xml', 'externalDocs']);
  addFormats.default(ajv, ['date-time', 'email', 'uuid']);
  return ajv;
}

// Bodies are checked exactly as RxDB would; query strings and params arrive as text and need coercion.
const bodyAjv = createAjv(false);
const urlAjv = createAjv(true);

/** Fastify validator compiler: our own ajv so schemas behave identically everywhere they are used. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : urlAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** "`/0/newDocumentState/priceCents` must be >= 0" — names the field so the sender can fix it. */
export function describeValidationError(error: Pick<ErrorObject, 'instancePath' | 'message' | 'params' | 'keyword'>, part = 'body'): { field: string; message: string } {
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
  }
  const where = field === '' ? `the ${part}` : `${part} field ${field}`;
  return { field: field || '/', message: `Invalid request: ${where} ${problem}. Fix the data and send it again.` };
}

export function compileBodyValidator(schema: object) {
  return bodyAjv.compile(schema);
}
