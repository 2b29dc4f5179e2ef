/**
 * Migration 2801: who sent a refused version, `quarantine.sender` (a station, `station:<id>`, or a
 * station-less session, `session:<token hash>`; null for what the server derived or entries kept
 * before this migration).
 *
 * Why: a write of a document used to settle its open refusal whatever its origin, so another device's
 * unrelated edit made a refused edit disappear from the integration errors without being applied
 * (POS-07 "nothing disappears"). A write now settles it only when it is the fix of that refused
 * version: it comes from the sender of that version, or it assumes that very version
 * (sync/write-documents.ts, settledRefusals).
 */
export const quarantineSenderMigration = {
  version: 2801,
  name: 'quarantine-sender',
  sql: `ALTER TABLE quarantine ADD COLUMN sender text`,
};
