import type { LoginResponse, SetupRequest } from '../../schema/index.ts';
import type { Database } from '../db/database.ts';
import { ApiProblem } from '../http/problem.ts';
import { recordAdminEvent } from './admin-events.ts';
import { newOneTimeCode, normalizeCode } from './codes.ts';
import { hashSecret, sameSecret, type ScryptParams } from './secrets.ts';
import { createSession } from './sessions.ts';

async function adminExists(db: Pick<Database, 'query'>): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM users WHERE 'admin' = ANY(roles) LIMIT 1");
  return rows.length > 0;
}

/**
 * A real first start (no demo data asked for) has no administrator. The server then makes a
 * one-time setup code, prints it on its console, and `POST /api/setup` with that code creates the
 * first store and its administrator with a password the person chooses. Once any administrator
 * exists the route refuses, and the code is forgotten.
 */
export class FirstSetup {
  private code: string | null;

  private constructor(code: string | null) {
    this.code = code;
  }

  static async prepare(db: Database): Promise<FirstSetup> {
    return new FirstSetup((await adminExists(db)) ? null : newOneTimeCode(4));
  }

  /** The code to print; null when an administrator exists. */
  get pendingCode(): string | null {
    return this.code;
  }

  async needed(db: Database): Promise<boolean> {
    if (this.code === null) return false;
    if (await adminExists(db)) {
      this.code = null;
      return false;
    }
    return true;
  }

  /** Creates the first store and its administrator (password hashed at `hashing`, the server's cost), then signs them in. */
  async complete(db: Database, request: SetupRequest, hashing: ScryptParams): Promise<LoginResponse> {
    const expected = this.code;
    if (expected === null || !(await this.needed(db))) {
      throw new ApiProblem(409, 'forbidden', 'This server is already set up: an administrator exists. Sign in with POST /api/auth/login instead.');
    }
    if (!sameSecret(normalizeCode(request.setupCode), normalizeCode(expected))) {
      throw new ApiProblem(401, 'invalid_credentials', 'The setup code is wrong. Use the code the server printed on its console when it started.');
    }
    if (request.password === request.adminCode || request.password.toLowerCase().includes(request.adminCode.toLowerCase())) {
      throw new ApiProblem(400, 'validation_failed', 'Choose a password that does not contain the user code.', '/password');
    }
    const passwordHash = await hashSecret(request.password, hashing);
    const storeId = request.storeCode;
    const userId = `${request.storeCode}-${request.adminCode}`;
    await db.transaction(async (tx) => {
      // Two setups at once on one PostgreSQL: only the first creates an administrator.
      if (db.kind === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock(4243)');
      if (await adminExists(tx)) throw new ApiProblem(409, 'forbidden', 'This server was set up a moment ago: an administrator exists. Sign in instead.');
      const taken = await tx.query('SELECT 1 FROM stores WHERE id = $1 OR code = $1', [storeId]);
      if (taken.length > 0) throw new ApiProblem(409, 'validation_failed', `Store ${request.storeCode} exists already. Choose another store code.`, '/storeCode');
      await tx.query('INSERT INTO stores (id, code, name) VALUES ($1, $1, $2)', [storeId, request.storeName]);
      await tx.query('INSERT INTO store_seq (store_id, last) VALUES ($1, 0)', [storeId]);
      await tx.query("INSERT INTO users (id, store_id, code, name, roles, password_hash) VALUES ($1, $2, $3, $4, ARRAY['admin'], $5)", [userId, storeId, request.adminCode, request.adminName, passwordHash]);
      await recordAdminEvent(tx, { storeId, userId, action: 'setup_completed', detail: `store ${request.storeCode}, administrator ${request.adminCode}` });
    });
    this.code = null;
    const { token, expiresAt } = await createSession(db, userId, storeId, null);
    return {
      token,
      expiresAt,
      user: { id: userId, code: request.adminCode, name: request.adminName, roles: ['admin'] },
      store: { id: storeId, code: request.storeCode, name: request.storeName },
      stationId: null,
    };
  }
}
