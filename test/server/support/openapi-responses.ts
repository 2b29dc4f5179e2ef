import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
/** What the checker needs of an answer (servers.ts's Call). */
export interface SeenAnswer {
  status: number;
  body: unknown;
}

/** Problems of one answer against the document ([] when it matches). */
export type ResponseChecker = (method: string, path: string, answer: SeenAnswer) => string[];

// ajv-formats is CommonJS: its default export is the function itself under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

const escapePointer = (segment: string) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * Checks answers the tests see against the server's OpenAPI 3.1 document (/docs/json): the path and
 * method are documented, the status is (exactly, as NXX, or default), and the JSON body matches that
 * response's schema. Schemas are compiled with Ajv's JSON Schema 2020-12 dialect, which OpenAPI 3.1 uses.
 */
export async function openApiChecker(server: { url: string }): Promise<ResponseChecker> {
  const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' } as never);
  // Like the router: a static segment wins over a parameter (`/products/search` before `/products/{id}`),
  // so the templates with fewer parameters are tried first.
  const parameters = (template: string) => (template.match(/\{[^}]+\}/g) ?? []).length;
  const templates = Object.keys(doc.paths).sort((a, b) => parameters(a) - parameters(b)).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

  return (method, path, answer) => {
    const bare = path.split('?')[0]!;
    const match = templates.find(({ pattern, template }) => pattern.test(bare) && doc.paths[template]![method.toLowerCase()]) ?? templates.find(({ pattern }) => pattern.test(bare));
    // A path or method the server does not have answers 404 from the router: nothing to check it against.
    if (!match) return answer.status === 404 ? [] : [`${method} ${bare}: no such path in the document`];
    const operation = doc.paths[match.template]![method.toLowerCase()];
    if (!operation) return answer.status === 404 ? [] : [`${method} ${match.template}: method not in the document`];
    const responses = operation.responses ?? {};
    const status = String(answer.status);
    const key = [status, `${status[0]}XX`, `${status[0]}xx`, 'default'].find((candidate) => responses[candidate]);
    if (!key) return [`${method} ${match.template}: status ${status} not documented (${Object.keys(responses).join(', ')})`];
    const content = responses[key]!.content;
    if (!content) return answer.body === null || answer.body === '' ? [] : [`${method} ${match.template} ${status}: a body where the document has none`];
    const mediaType = Object.keys(content).find((type) => type.includes('json'));
    if (!mediaType || !content[mediaType]!.schema) return [];
    const ref = `openapi.json#/paths/${escapePointer(match.template)}/${method.toLowerCase()}/responses/${escapePointer(key)}/content/${escapePointer(mediaType)}/schema`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((error) => `${method} ${match.template} ${status}: ${error.instancePath || '/'} ${error.message ?? ''}`);
  };
}

const checkers = new Map<string, Promise<ResponseChecker>>();

/** Paths whose every answer a test sees is checked against the document (servers.ts `call`): the integration API. */
export const CHECKED_PATHS = /^\/api\/(v1\/|api-keys)/;

/** The problems of one answer of a server at `baseUrl` against its document, fetched once per server. */
export async function checkAgainstDocument(baseUrl: string, method: string, path: string, answer: SeenAnswer): Promise<string[]> {
  let checker = checkers.get(baseUrl);
  if (!checker) {
    checker = openApiChecker({ url: baseUrl });
    checker.catch(() => checkers.delete(baseUrl));
    checkers.set(baseUrl, checker);
  }
  return (await checker)(method, path, answer);
}
