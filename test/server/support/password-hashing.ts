import { hashSecret, SCRYPT_TEST_FLOOR, type ScryptParams } from '../../../sync/server/auth/secrets.ts';
import type { Queryable } from '../../../sync/server/db/database.ts';
import { DEMO_STORES } from '../../../sync/server/seed/demo-data.ts';

/**
 * The scrypt cost every test server hashes passwords at (StartOptions.passwordHashing), about 1 ms a
 * sign-in instead of OWASP's ~0.5 s of one core and 128 MiB: the suites sign in hundreds of times, and
 * at 2^17 those derivations took minutes of a 2-core CI (issue 16's suite time). The tests that prove
 * the production cost (auth-hardening) start their servers without it.
 */
export const TEST_PASSWORD_HASHING: Readonly<ScryptParams> = SCRYPT_TEST_FLOOR;

/**
 * Stores the demo users' passwords at TEST_PASSWORD_HASHING (the run's templates, seeded with the
 * production hashes of demo-data.ts), so a test server with that cost neither derives at 2^17 nor
 * replaces the hash at each first sign-in.
 */
export async function storeDemoPasswordsForTests(db: Queryable): Promise<void> {
  const users = DEMO_STORES.flatMap((store) => store.users.map((user) => ({ id: `${store.code}-${user.code}`, password: user.password })));
  const hashes = await Promise.all(users.map((user) => hashSecret(user.password, TEST_PASSWORD_HASHING)));
  const stored = await db.query('UPDATE users u SET password_hash = h.hash FROM unnest($1::text[], $2::text[]) AS h(id, hash) WHERE u.id = h.id RETURNING u.id', [users.map((user) => user.id), hashes]);
  if (stored.length !== users.length) throw new Error(`storeDemoPasswordsForTests: ${stored.length} of ${users.length} demo users found`);
}
