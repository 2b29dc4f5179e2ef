import type { CollectionName, LoginResponse } from '../../../sync/schema/index.ts';

type Json = Record<string, unknown>;

export interface ListPage {
  documents: Json[];
  checkpoint: { seq: number };
}

/** The integration REST API as an outside system sees it, signed in as the store admin. */
export class RestClient {
  private token: string | null = null;

  constructor(
    private readonly baseUrl: () => string,
    private readonly credentials = { storeCode: 'loja1', userCode: 'admin', password: 'admin123' },
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    if (!this.token) await this.login();
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  async login(): Promise<LoginResponse> {
    const response = await fetch(`${this.baseUrl()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.credentials),
    });
    if (!response.ok) throw new Error(`Admin login failed: HTTP ${response.status} ${await response.text()}`);
    const login = (await response.json()) as LoginResponse;
    this.token = login.token;
    return login;
  }

  /** The document, or null when the server answers 404. */
  async get(collection: CollectionName, id: string): Promise<Json | null> {
    const { status, body } = await this.call('GET', `/api/v1/${collection}/${encodeURIComponent(id)}`);
    if (status === 404) return null;
    if (status !== 200) throw new Error(`GET ${collection}/${id}: HTTP ${status} ${JSON.stringify(body)}`);
    return body as Json;
  }

  /** Replaces a document; wire fields (`_deleted`, …) are left out of the body. */
  async put(collection: CollectionName, doc: Json): Promise<Json> {
    const clean = Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));
    const { status, body } = await this.call('PUT', `/api/v1/${collection}/${encodeURIComponent(String(clean.id))}`, clean);
    if (status !== 200) throw new Error(`PUT ${collection}/${String(clean.id)}: HTTP ${status} ${JSON.stringify(body)}`);
    return body as Json;
  }

  /** One page of changes after a sequence number, as an integrator polls them. */
  async listSince(collection: CollectionName, since: number, limit = 500): Promise<ListPage> {
    const { status, body } = await this.call('GET', `/api/v1/${collection}?since=${since}&limit=${limit}`);
    if (status !== 200) throw new Error(`GET ${collection}: HTTP ${status} ${JSON.stringify(body)}`);
    return body as ListPage;
  }

  /** Every change of a collection, page after page (a document appears once per stored version). */
  async listAll(collection: CollectionName, limit = 500): Promise<Json[]> {
    const all: Json[] = [];
    let since = 0;
    for (;;) {
      const page = await this.listSince(collection, since, limit);
      all.push(...page.documents);
      if (page.documents.length < limit || page.checkpoint.seq === since) return all;
      since = page.checkpoint.seq;
    }
  }
}
