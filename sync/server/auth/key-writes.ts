import type { CollectionName, WireDocument } from '../../schema/index.ts';
import type { StoredDocument } from '../db/documents.ts';
import { ApiProblem } from '../http/problem.ts';

/**
 * What an integrator's API key may write (issue 12, "Sales from the stations (read-only for
 * integrators)"). A key acts with an administrator's role inside its store, but it is not a person
 * nor a station: records the stations write (sales and exchanges, the till's cash movements, the audit
 * trail), the design software's and reviewers' records, and the store's own administration (stations,
 * counter rules, supervisor codes) are never a key's to write, whatever its scopes. One table, with
 * every collection named, so a new collection needs a decision here before it compiles.
 *
 * - 'refused': no write at all (403, before any transaction);
 * - 'master': the master-data kinds the ERP owns (the kinds the batch upsert takes), for the new
 *   version and the stored one (a key cannot turn a station record into a seller either);
 * - 'own-author': requests signed by an author (`userId`): a key signs only as itself, so it cannot
 *   make a request in a person's name (the billing transition routes sign with the key's id);
 * - 'allowed': the resource is the integrator's (its scope decides).
 */
type KeyWrite = { rule: 'allowed' } | { rule: 'master' } | { rule: 'own-author' } | { rule: 'refused'; en: string; pt: string };

const STATION_RECORDS = {
  rule: 'refused',
  en: 'are records of the stations (sales and exchanges, till movements, audit trail): read-only for integrators',
  pt: 'são registros dos caixas (vendas e trocas, movimentos de caixa, trilha de auditoria): somente leitura para integradores',
} as const;
const DESIGN_RECORDS = {
  rule: 'refused',
  en: "are written by the design software and the store's designers and reviewers, not by integrators",
  pt: 'são escritos pelo software de projetos e pelos projetistas e revisores da loja, não por integradores',
} as const;

export const KEY_WRITES: Record<CollectionName, KeyWrite> = {
  products: { rule: 'allowed' },
  masterdata: { rule: 'master' },
  customers: { rule: 'allowed' },
  sales: STATION_RECORDS,
  cashMovements: STATION_RECORDS,
  auditEvents: STATION_RECORDS,
  designProjects: DESIGN_RECORDS,
  designEnvironments: DESIGN_RECORDS,
  designActions: DESIGN_RECORDS,
  purchaseOrders: DESIGN_RECORDS,
  backoffice: { rule: 'allowed' },
  consumption: { rule: 'allowed' },
  backofficeActions: { rule: 'own-author' },
};

/**
 * Master-data kinds an ERP owns (seed 004: "todos os cadastros serão feitos no ERP"): the only kinds
 * any caller, key or person, writes through the generic document routes (auth/ownership.ts). The
 * others (station, storeSettings, supervisor, voucher, and any kind added later) are the server's to
 * write, through routes that check what a generic write cannot. Same list as the batch upsert's
 * UPSERT_KINDS.
 */
export const KEY_MASTER_KINDS: readonly string[] = ['seller', 'paymentType', 'paymentCondition', 'financialReason', 'promotion', 'productGroup', 'stationGroup'];

function refusal(en: string, pt: string): ApiProblem {
  return new ApiProblem(403, 'forbidden', `${en}.`, undefined, undefined, { messagePt: `${pt}.` });
}

/** The collection part, checked on every write route before its transaction: 403 for a refused collection. */
export function assertKeyMayWriteCollection(collection: CollectionName): void {
  const policy = KEY_WRITES[collection];
  if (policy.rule === 'refused') throw refusal(`An API key may not change "${collection}": they ${policy.en}`, `Uma chave de API não pode alterar "${collection}": ${policy.pt}`);
}

/**
 * The record part, in the write's transaction (auth/ownership.ts assertOwnership): each new version,
 * and the stored version it replaces, must be one the key may write. `keyUserId` is the key's own
 * author id (`api-key:<id>`). Throws 403, refusing the whole request.
 */
export function assertKeyMayWriteDocuments(keyUserId: string, collection: CollectionName, docs: readonly WireDocument[], current: ReadonlyMap<string, StoredDocument>): void {
  assertKeyMayWriteCollection(collection);
  const policy = KEY_WRITES[collection];
  for (const doc of docs) {
    const id = String(doc.id);
    const stored = current.get(id)?.data;
    if (policy.rule === 'master') {
      for (const kind of [doc.kind, stored?.kind]) {
        if (kind !== undefined && !KEY_MASTER_KINDS.includes(String(kind))) {
          throw refusal(
            `An API key may not write master record ${id} of kind "${String(kind)}": stations, counter rules and supervisor codes are set by the store administrator in the app. Kinds open to keys: ${KEY_MASTER_KINDS.join(', ')}`,
            `Uma chave de API não pode gravar o cadastro ${id} do tipo "${String(kind)}": caixas, regras do balcão e códigos de supervisor são definidos pelo administrador da loja no aplicativo. Tipos abertos a chaves: ${KEY_MASTER_KINDS.join(', ')}`,
          );
        }
      }
    }
    if (policy.rule === 'own-author') {
      for (const author of [doc.userId, stored?.userId]) {
        if (author !== undefined && author !== keyUserId) {
          throw refusal(
            `An API key may not write request ${id} in the name of ${String(author)}: a key's requests are its own (use the billing transition routes, which sign them as ${keyUserId})`,
            `Uma chave de API não pode gravar a solicitação ${id} em nome de ${String(author)}: as solicitações de uma chave são dela (use as rotas de transição de cobrança, que as assinam como ${keyUserId})`,
          );
        }
      }
    }
  }
}
