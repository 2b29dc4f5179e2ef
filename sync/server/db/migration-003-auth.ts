/**
 * Auth hardening (issues 14 and 17): pairing codes become single-use and expire, sessions can be
 * found by station and user to revoke them, and administrative changes (stations, pairing codes,
 * first setup) are kept in an audit trail of their own.
 */
export const authMigration = {
  version: 3,
  name: 'auth',
  sql: `
    -- A code is cleared when it is used or revoked; until then it has an expiry. Codes written before
    -- this migration were permanent and hashed differently: they are withdrawn (paired stations keep
    -- their device keys; an administrator issues a new code to pair again).
    ALTER TABLE stations ALTER COLUMN pairing_code_hash DROP NOT NULL;
    ALTER TABLE stations ADD COLUMN pairing_code_expires_at timestamptz;
    UPDATE stations SET pairing_code_hash = NULL;
    ALTER TABLE sessions ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
    CREATE INDEX sessions_by_station ON sessions (station_id);
    CREATE INDEX sessions_by_user ON sessions (user_id);
    -- Who changed the store's administration: stations registered, pairing codes issued and revoked,
    -- stations paired and unpaired, the first administrator set up. user_id is null for a device.
    CREATE TABLE admin_events (
      id text PRIMARY KEY,
      store_id text NOT NULL REFERENCES stores(id),
      at timestamptz NOT NULL DEFAULT now(),
      user_id text,
      station_id text,
      action text NOT NULL,
      detail text
    );
    CREATE INDEX admin_events_by_store ON admin_events (store_id, at DESC);
  `,
};
