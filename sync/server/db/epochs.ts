import { randomBytes } from 'node:crypto';
import type { Database } from './database.ts';

/**
 * Begins a new epoch of every store's history at its next sequence number (see migration-012-hardening.ts). Called
 * on every server start: a restored backup is always followed by one, which is how a checkpoint of
 * the history the restore dropped is recognised. Checkpoints of earlier epochs stay valid up to the
 * point where their epoch ended, so a plain restart costs devices nothing.
 */
export async function beginEpoch(db: Database): Promise<string> {
  const epoch = randomBytes(6).toString('base64url');
  await db.transaction(async (tx) => {
    // Writers hold these rows until they commit: the epoch starts after every write in flight.
    await tx.query('SELECT store_id FROM store_seq ORDER BY store_id FOR UPDATE');
    await tx.query('INSERT INTO store_epochs (store_id, epoch, from_seq) SELECT store_id, $1, last + 1 FROM store_seq', [epoch]);
  });
  return epoch;
}
