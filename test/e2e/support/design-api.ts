/** The server side of the design story as other users act on it (back office, reviewer), over HTTP. */
import { randomUUID } from 'node:crypto';
import type { DesignAction } from '../../../sync/schema/index.ts';

export const DESIGN_USERS = {
  designer: { code: 'projetista', password: 'projetista123', id: 'loja1-projetista' },
  reviewer: { code: 'revisor', password: 'revisor123', id: 'loja1-revisor' },
  backoffice: { code: 'retaguarda', password: 'retaguarda123', id: 'loja1-retaguarda' },
  admin: { code: 'admin', password: 'admin123', id: 'loja1-admin' },
} as const;
export type DesignUser = keyof typeof DESIGN_USERS;

export class DesignApi {
  private readonly tokens = new Map<DesignUser, string>();

  constructor(private readonly baseUrl: () => string) {}

  private async token(user: DesignUser): Promise<string> {
    const known = this.tokens.get(user);
    if (known) return known;
    const { code, password } = DESIGN_USERS[user];
    const response = await fetch(`${this.baseUrl()}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: code, password }) });
    if (!response.ok) throw new Error(`login of ${code} failed: HTTP ${response.status}`);
    const token = ((await response.json()) as { token: string }).token;
    this.tokens.set(user, token);
    return token;
  }

  async call(user: DesignUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token(user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  /** Writes a design action as that user's device would (replication push). */
  async act(user: DesignUser, kind: DesignAction['kind'], fields: Partial<DesignAction>): Promise<DesignAction> {
    const action: DesignAction = { id: randomUUID(), kind, userId: DESIGN_USERS[user].id, requestedAt: new Date().toISOString(), ...fields };
    const answer = await this.call(user, 'POST', `/api/sync/designActions/push`, [{ newDocumentState: { ...action, _deleted: false }, assumedMasterState: null }]);
    if (answer.status !== 200 || (answer.body as unknown[]).length > 0) throw new Error(`${kind} by ${user}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    return action;
  }

  /** Registers the simulator as the store's design portal (what the admin screen does). */
  async registerPortal(input: { accountId: string; portalUrl: string; signingSecret: string }): Promise<void> {
    const answer = await this.call('admin', 'PUT', '/api/design/portal-account', { storeTaxId: '11222333000181', ...input });
    if (answer.status !== 200) throw new Error(`registering the portal failed: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
