/**
 * Homologation (API-06, API-07; seed 001): the wire shapes of the sandbox and of the acceptance record
 * ("termo de aceite") kept per integrator key. Shared by the server and the admin screens.
 *
 * Routes (admin session unless said otherwise; every error is the project's problem body):
 * - `GET  /api/sandbox`               → 200 `SandboxInfo` | 404 when the store has none yet;
 * - `POST /api/sandbox`               → 201 `SandboxInfo` (creates and seeds it; 200 if it exists);
 * - `POST /api/sandbox/reset`         → 200 `SandboxInfo` (wipes its data, reseeds, clock back to zero);
 * - `POST /api/v1/sandbox/clock`      body `{ advanceSeconds }` (sandbox key or admin) → 200 `SandboxClock`;
 *   a production key gets 403;
 * - `POST /api/v1/homologation-runs`  (sandbox key) body: the conformance script's JSON report → 201 `HomologationRun`;
 * - `GET  /api/api-keys/:id/homologation-runs` → 200 `{ data: HomologationRun[] }`, newest first;
 * - `POST /api/api-keys/:id/promote`  (a sandbox key) → 201 `CreatedApiKey` (a production key, secret shown once)
 *   | 409 `homologation_required` when the key's last run did not pass.
 * - `POST /api/api-keys` makes sandbox keys only (the sandbox is created with the first); `environment:
 *   'production'` → 409 `homologation_required`. Both writes under /api/v1 honour an Idempotency-Key.
 */

/** Production keys start `bk.`; sandbox keys start `bk_test.` — told apart at a glance. */
export type ApiKeyEnvironment = 'production' | 'sandbox';

export interface SandboxClock {
  /** The sandbox's "now", ISO-8601. Production's clock is never moved. */
  now: string;
  /** How far the sandbox clock is ahead of the real one, in seconds (≥ 0). */
  offsetSeconds: number;
}

export interface SandboxInfo {
  /** The sandbox's own store id: its data lives there, apart from production's. */
  storeId: string;
  createdAt: string;
  /** Last reset (ISO-8601), or null if never reset. */
  resetAt: string | null;
  clock: SandboxClock;
  /** What the seeded fixtures hold, for the admin screen. */
  fixtures: { products: number; customers: number; stations: number; contracts: number };
}

export interface HomologationStepResult {
  /** Stable step name, e.g. `master-data`, `idempotency`, `webhook`. */
  step: string;
  passed: boolean;
  /** On failure: what was expected and what came back, for the admin and the integrator. */
  detail?: string;
}

/** One conformance run, recorded against the sandbox key that ran it (the "termo de aceite"). */
export interface HomologationRun {
  id: string;
  keyId: string;
  /** When the server received the report (ISO-8601). */
  receivedAt: string;
  passed: boolean;
  steps: HomologationStepResult[];
  /** Steps the server could not corroborate from what the key actually did in the sandbox. */
  uncorroborated: string[];
}
