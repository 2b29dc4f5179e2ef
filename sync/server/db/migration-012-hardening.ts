/**
 * Issue 14: checkpoints that carry the server's history, and device times reports can always read.
 * Function bodies stay on one line: migrations are split into statements at line-ending semicolons.
 */
export const hardeningMigration = {
  version: 12,
  name: 'hardening',
  sql: `
    -- Every server start begins an epoch per store at the next sequence number (db/epochs.ts). A
    -- checkpoint names the epoch its sequence number was issued in; after a restore from a backup
    -- the restored history ends where the next start begins a new epoch, so a checkpoint of the lost
    -- history (an epoch the server does not know, or a number past its epoch's end) is told to resync.
    CREATE TABLE store_epochs (
      store_id text NOT NULL REFERENCES stores(id),
      epoch text NOT NULL,
      from_seq bigint NOT NULL,
      ord bigserial NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store_id, epoch)
    );
    CREATE INDEX store_epochs_by_seq ON store_epochs (store_id, from_seq DESC, ord DESC);
    -- The epoch sequence number at_seq of a store belongs to; 'origin' before the first epoch began.
    CREATE FUNCTION balcao_epoch(store text, at_seq bigint) RETURNS text LANGUAGE sql STABLE AS $$ SELECT coalesce((SELECT e.epoch FROM store_epochs e WHERE e.store_id = store AND e.from_seq <= at_seq ORDER BY e.from_seq DESC, e.ord DESC LIMIT 1), 'origin') $$;
    -- A device time as timestamptz, or NULL when PostgreSQL cannot read it (a record stored before
    -- the server checked times: offsets beyond ±15:59, year 0, a day the month does not have).
    -- Never raises, so one such record cannot break a report; nested CASEs fix the evaluation order.
    CREATE FUNCTION balcao_instant(value text) RETURNS timestamptz LANGUAGE sql STABLE AS $$ SELECT CASE WHEN value ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)([.][0-9]{1,12})?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)$' AND substr(value, 1, 4) <> '0000' THEN CASE WHEN substr(value, 9, 2)::int <= extract(day FROM make_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, 1) + interval '1 month - 1 day') THEN value::timestamptz END END $$
  `,
};
