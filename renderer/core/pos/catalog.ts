import { PAYMENT_METHODS, type MasterRecord } from '../../../sync/schema/index.ts';
import { priceTableOf, STORE_SETTINGS_ID, storeSettingsOf, type PriceTable, type StoreSettings } from '../../../sync/rules/index.ts';

/**
 * The master data the POS screens and operations work from, as the station last received it. Only
 * active records are offered for new operations; `byId` keeps inactive ones so old sales still show names.
 */
export interface PosCatalog {
  byId: ReadonlyMap<string, MasterRecord>;
  sellers: MasterRecord[];
  paymentTypes: MasterRecord[];
  paymentConditions: MasterRecord[];
  financialReasons: MasterRecord[];
  promotions: MasterRecord[];
  stationGroups: MasterRecord[];
  station: MasterRecord | undefined;
  stationGroup: MasterRecord | undefined;
  priceTable: PriceTable;
  /** The store's counter rules (defaults until the admin saves them). */
  settings: StoreSettings;
  /** Users who may authorise at this station (POS-20), with their code hashes. */
  supervisors: MasterRecord[];
}

const collator = new Intl.Collator('pt-BR', { sensitivity: 'base', numeric: true });
const byName = (a: MasterRecord, b: MasterRecord) => collator.compare(a.name, b.name);

export function buildCatalog(records: readonly MasterRecord[], stationId: string | null): PosCatalog {
  const byId = new Map(records.map((record) => [record.id, record]));
  const active = (kind: MasterRecord['kind']) => records.filter((r) => r.kind === kind && r.active).sort(byName);
  const station = stationId ? byId.get(stationId) : undefined;
  const stationGroup = station?.groupId ? byId.get(station.groupId) : undefined;
  return {
    byId,
    sellers: active('seller'),
    // Cash first, then card, credit, PIX: the order of the F-key shortcuts on the payment step.
    paymentTypes: records
      .filter((r) => r.kind === 'paymentType' && r.active)
      .sort((a, b) => PAYMENT_METHODS.indexOf(a.method ?? 'voucher') - PAYMENT_METHODS.indexOf(b.method ?? 'voucher') || byName(a, b)),
    paymentConditions: active('paymentCondition').sort((a, b) => (a.installments ?? 1) - (b.installments ?? 1)),
    financialReasons: active('financialReason'),
    // Inactive promotions are filtered by sync/rules too; keeping the list whole keeps both sides identical.
    promotions: records.filter((r) => r.kind === 'promotion'),
    stationGroups: active('stationGroup'),
    station: station?.kind === 'station' ? station : undefined,
    stationGroup: stationGroup?.kind === 'stationGroup' ? stationGroup : undefined,
    priceTable: priceTableOf(stationGroup),
    settings: storeSettingsOf(byId.get(STORE_SETTINGS_ID)),
    supervisors: records.filter((r) => r.kind === 'supervisor' && r.active && r.codeHash),
  };
}

/** Conditions offered for a payment type: its own, plus conditions bound to no type. */
export function conditionsFor(catalog: PosCatalog, paymentTypeId: string): MasterRecord[] {
  return catalog.paymentConditions.filter((c) => !c.paymentTypeId || c.paymentTypeId === paymentTypeId);
}

export function reasonsFor(catalog: PosCatalog, use: 'supply' | 'withdrawal' | 'cancel' | 'exchange'): MasterRecord[] {
  return catalog.financialReasons.filter((r) => r.uses?.includes(use));
}
