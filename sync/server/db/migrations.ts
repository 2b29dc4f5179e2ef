import type { Database } from './database.ts';
import { designMigration } from './migration-002-design.ts';
import { authMigration } from './migration-003-auth.ts';
import { backofficeMigration, backofficeTaxIdMigration, consumptionCorrectsMigration } from '../backoffice/migration.ts';
import { hardeningMigration } from './migration-012-hardening.ts';
import { integrationMigration, salesPeriodMigration } from '../integration/migration.ts';
import { apiKeysMigration } from '../auth/api-keys-migration.ts';
import { webhookDueBySubscriptionMigration, webhookPauseCodeMigration, webhooksMigration } from '../webhooks/migration.ts';
import { sandboxMigration, sandboxRequestsAgeMigration } from '../sandbox/migration.ts';
import { saleInstantMigration } from './migration-016-sale-instant.ts';
import { documentsStoreKeyMigration } from './migration-016-documents-store-key.ts';
import { designJobsOpenMigration } from '../design/migration.ts';
import { quarantineSenderMigration } from './migration-028-quarantine-sender.ts';

/**
 * One list of migrations for PostgreSQL and PGlite alike. Append only: a released migration never changes.
 * Each runs in its own transaction together with its bookkeeping row.
 */
const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'core',
    sql: `
      CREATE TABLE stores (
        id text PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        tax_id text
      );
      -- One counter per store. Writers lock this row for the whole write transaction, so sequence
      -- numbers commit in order and a reader never sees N+1 before N.
      CREATE TABLE store_seq (
        store_id text PRIMARY KEY REFERENCES stores(id),
        last bigint NOT NULL DEFAULT 0
      );
      CREATE TABLE users (
        id text PRIMARY KEY,
        store_id text NOT NULL REFERENCES stores(id),
        code text NOT NULL,
        name text NOT NULL,
        roles text[] NOT NULL,
        password_hash text NOT NULL,
        UNIQUE (store_id, code)
      );
      CREATE TABLE stations (
        id text PRIMARY KEY,
        store_id text NOT NULL REFERENCES stores(id),
        code text NOT NULL,
        name text NOT NULL,
        group_id text,
        pairing_code_hash text NOT NULL,
        device_key_hash text,
        paired_at timestamptz,
        last_contact timestamptz,
        pending_uploads integer NOT NULL DEFAULT 0,
        app_version text,
        last_error text,
        UNIQUE (store_id, code)
      );
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL REFERENCES users(id),
        store_id text NOT NULL REFERENCES stores(id),
        station_id text REFERENCES stations(id),
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE documents (
        store_id text NOT NULL REFERENCES stores(id),
        collection text NOT NULL,
        id text NOT NULL,
        seq bigint NOT NULL,
        station_id text,
        data jsonb NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, collection, id)
      );
      CREATE INDEX documents_by_seq ON documents (store_id, collection, seq);
      CREATE TABLE quarantine (
        id text PRIMARY KEY,
        store_id text NOT NULL REFERENCES stores(id),
        collection text NOT NULL,
        document_id text NOT NULL,
        station_id text,
        reason text NOT NULL,
        message text NOT NULL,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 1,
        resolved_at timestamptz
      );
      -- At most one open entry per document: a new refusal updates it instead of piling up.
      CREATE UNIQUE INDEX quarantine_open ON quarantine (store_id, collection, document_id) WHERE resolved_at IS NULL;
      CREATE TABLE idempotency_keys (
        store_id text NOT NULL REFERENCES stores(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, key)
      );
    `,
  },
  designMigration,
  authMigration,
  backofficeMigration,
  hardeningMigration,
  integrationMigration,
  apiKeysMigration,
  webhooksMigration,
  salesPeriodMigration,
  backofficeTaxIdMigration,
  sandboxMigration,
  saleInstantMigration,
  documentsStoreKeyMigration,
  webhookPauseCodeMigration,
  sandboxRequestsAgeMigration,
  designJobsOpenMigration,
  quarantineSenderMigration,
  webhookDueBySubscriptionMigration,
  consumptionCorrectsMigration,
];

export async function migrate(db: Database): Promise<number> {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  let applied = 0;
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      // Two server processes starting together on one PostgreSQL must not both migrate.
      if (db.kind === 'postgresql') await tx.query('SELECT pg_advisory_xact_lock(4242)');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length > 0) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied += 1;
    });
  }
  return applied;
}

// Parameterless multi-statement strings are not portable across both drivers' extended protocol.
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
