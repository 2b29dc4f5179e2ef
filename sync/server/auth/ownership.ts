import { canRead, canWrite, COLLECTIONS, type CollectionName, type Role, type WireDocument } from '../../schema/index.ts';
import { STORE_SETTINGS_ID, supervisorRecordId, voucherRecordId } from '../../rules/index.ts';
import type { Queryable } from '../db/database.ts';
import type { StoredDocument } from '../db/documents.ts';
import { ApiProblem, problems } from '../http/problem.ts';
import { assertKeyMayWriteCollection, assertKeyMayWriteDocuments, KEY_MASTER_KINDS } from './key-writes.ts';
import type { Session } from './sessions.ts';

/**
 * Who writes, as the ownership rule sees it. Every write of documents names one (WriteOptions.writer):
 * a signed-in caller through a device push, a quarantine fix or the integration API, or 'server' for
 * what the server derives itself after its own checks (station moves, design-portal events, seeds).
 */
export interface Writer {
  storeId: string;
  userId: string;
  roles: readonly Role[];
  /** The paired station the caller signed in on; null for a session without one. */
  stationId: string | null;
  /** 'sync': replication push or quarantine fix from a device; 'api': the integration REST API. */
  via: 'sync' | 'api';
  /** Set when the caller is an integrator's API key (its id): auth/key-writes.ts limits what it writes. */
  apiKeyId?: string;
}

export function writerOf(session: Session, via: Writer['via']): Writer {
  const writer: Writer = { storeId: session.store.id, userId: session.user.id, roles: session.user.roles, stationId: session.stationId, via };
  if (session.apiKey) writer.apiKeyId = session.apiKey.id;
  return writer;
}

function isAdminWriter(writer: Pick<Writer, 'roles'>): boolean {
  return writer.roles.includes('admin');
}

/** 403 for a write of a collection only the server derives (registry `derived`), whoever asks. */
function derivedCollection(collection: CollectionName): ApiProblem {
  return new ApiProblem(
    403,
    'read_only_collection',
    `Collection "${collection}" is derived by the server from design requests and the design software, so their guards (outdated budgets, review, purchase orders) always apply; nobody writes it directly. Send a designActions request instead.`,
    undefined,
    undefined,
    { messagePt: `A coleção "${collection}" é derivada pelo servidor a partir dos pedidos de projeto e do software de projeto, para que suas regras (orçamento desatualizado, revisão, pedidos de compra) sempre valham; ninguém a escreve diretamente. Envie um pedido em designActions.` },
  );
}

/**
 * Role: whether the caller may change the collection at all. Read-only collections (catalogue,
 * master data) are written centrally: by an admin through the integration API. Collections the
 * server derives (design projects, environments, purchase orders) are written by no caller.
 */
export function assertRoleMayWrite(writer: Pick<Writer, 'roles' | 'via' | 'apiKeyId'>, collection: CollectionName): void {
  // A key is not a person: some records are never its to write, whatever its role (auth/key-writes.ts).
  if (writer.apiKeyId !== undefined) assertKeyMayWriteCollection(collection);
  if (COLLECTIONS[collection].derived) throw derivedCollection(collection);
  if (writer.via === 'api' && isAdminWriter(writer)) return;
  if (canWrite(collection, writer.roles)) return;
  if (COLLECTIONS[collection].writeRoles.length === 0 || canRead(collection, writer.roles)) throw problems.readOnly(collection);
  throw problems.forbidden(`Your role may not change "${collection}".`);
}

/** Ids the server writes its own master records at (store settings, `supervisor-<user>`, `voucher-<number>`). */
export function isServerMasterId(id: string): boolean {
  return id === STORE_SETTINGS_ID || id.startsWith(supervisorRecordId('')) || id.startsWith(voucherRecordId(''));
}

/**
 * Master records of the kinds the server keeps (station, storeSettings, supervisor, voucher) are written
 * through their own routes only, for everyone: those routes keep what a generic write would skip — a
 * station's row and pairing, a supervisor's role and hashed code, the administration trail, a
 * voucher's balance derived from the exchanges and sales that issue and spend it (POS-21). An admin's
 * PUT /api/v1/masterdata/{id} could otherwise raise a voucher's value or make a supervisor of a cashier.
 * Each new version and the stored version it replaces are checked. Throws 403.
 */
function assertOpenMasterKinds(docs: readonly WireDocument[], current: ReadonlyMap<string, StoredDocument>): void {
  for (const doc of docs) {
    const id = String(doc.id);
    for (const kind of [doc.kind, current.get(id)?.data.kind]) {
      if (kind === undefined || KEY_MASTER_KINDS.includes(String(kind))) continue;
      throw new ApiProblem(
        403,
        'forbidden',
        `Master record ${id} is of kind "${String(kind)}", which the server keeps: stations are registered and moved with POST /api/stations and PUT /api/stations/{id}/group, counter rules and supervisor codes set with PUT /api/store/settings and PUT /api/users/{id}/supervisor-code, and vouchers follow the exchanges and sales that issue and spend them. Kinds written here: ${KEY_MASTER_KINDS.join(', ')}.`,
        undefined,
        undefined,
        {
          messagePt: `O cadastro ${id} é do tipo "${String(kind)}", mantido pelo servidor: caixas são cadastrados e movidos em POST /api/stations e PUT /api/stations/{id}/group, regras do balcão e códigos de supervisor em PUT /api/store/settings e PUT /api/users/{id}/supervisor-code, e vales seguem as trocas e vendas que os emitem e usam. Tipos gravados aqui: ${KEY_MASTER_KINDS.join(', ')}.`,
        },
      );
    }
    if (isServerMasterId(id)) {
      throw new ApiProblem(
        403,
        'forbidden',
        `Master record id ${id} is kept for the server's own records (store settings, supervisor codes, vouchers): a record written there would be replaced by them. Choose another id.`,
        '/id',
        undefined,
        { messagePt: `O id de cadastro ${id} é reservado aos registros do próprio servidor (regras da loja, códigos de supervisor, vales): um cadastro gravado ali seria substituído por eles. Escolha outro id.` },
      );
    }
  }
}

/**
 * The one ownership rule of every write path (push, integration API, quarantine fixes), checked in
 * the write's transaction before anything is read back or written:
 * - store: every document is read and written inside the caller's store only (the storage key);
 *   a station named by a document must be a station of that store;
 * - role: assertRoleMayWrite;
 * - API key: never a station's records nor the administrator's own (auth/key-writes.ts);
 * - master data: only the kinds an ERP owns, for everyone (assertOpenMasterKinds);
 * - station: a record of a station-visible collection (sales, cash movements, audit trail) belongs to
 *   the station in its `stationId`. A non-admin writes only records of the station it signed in on,
 *   new or stored; nobody moves a stored record to another station.
 * Throws 403, refusing the whole batch: a device that sends another station's records is not
 * retrying an honest upload.
 */
export async function assertOwnership(
  tx: Queryable,
  writer: Writer,
  collection: CollectionName,
  docs: readonly WireDocument[],
  current: ReadonlyMap<string, StoredDocument>,
): Promise<void> {
  assertRoleMayWrite(writer, collection);
  if (writer.apiKeyId !== undefined) assertKeyMayWriteDocuments(writer.userId, collection, docs, current);
  if (collection === 'masterdata') assertOpenMasterKinds(docs, current);
  if (COLLECTIONS[collection].visibility !== 'station') return;
  const admin = isAdminWriter(writer);
  const named = new Set<string>();
  for (const doc of docs) {
    const id = String(doc.id);
    const target = typeof doc.stationId === 'string' ? doc.stationId : null;
    const stored = current.get(id);
    if (!admin && target !== writer.stationId) {
      throw problems.forbidden(
        writer.stationId
          ? `Document ${id} names station ${String(target)}; a device may only send records of its own station (${writer.stationId}).`
          : `Document ${id} is a record of station ${String(target)}; sign in on that paired station (own station only) to change it.`,
      );
    }
    if (stored && stored.stationId !== target) {
      throw problems.forbidden(
        admin
          ? `Document ${id} belongs to station ${String(stored.stationId)}; a record cannot be moved to another station (${String(target)}).`
          : `Document ${id} belongs to station ${String(stored.stationId)}; a device may only change records of its own station.`,
      );
    }
    if (target !== null) named.add(target);
  }
  if (!admin || named.size === 0) return;
  const found = await tx.query<{ id: string }>('SELECT id FROM stations WHERE store_id = $1 AND id = ANY($2::text[])', [writer.storeId, [...named]]);
  const known = new Set(found.map((row) => row.id));
  const unknown = [...named].find((station) => !known.has(station));
  if (unknown !== undefined) throw problems.forbidden(`Station ${unknown} is not a station of this store; records may only name the store's own stations.`);
}
