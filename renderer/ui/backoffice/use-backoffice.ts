import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RxCollection } from 'rxdb';
import { useTranslation } from 'react-i18next';
import type { BackofficeAction, BackofficeDoc, CollectionName, ConsumptionRecord, ContractDoc, Customer, IntegrationError, ServiceDoc } from '../../../sync/schema/index.ts';
import { ruleMessage, storeDay } from '../../../sync/rules/index.ts';
import { BackofficeRefused } from '../../core/backoffice/backoffice.ts';
import { useCore, useErrorText } from '../core-context.tsx';
import { usePosContext } from '../pos/pos-context.tsx';

/** Badge colour of each contract state. */
export const STATE_COLORS = { draft: 'gray', active: 'teal', inactive: 'gray', suspended: 'orange', cancelled: 'red' } as const;

const collator = new Intl.Collator('pt-BR', { sensitivity: 'base', numeric: true });

/** A live query of one of the back-office collections (null when the user's device does not open it). */
function useLiveCollection<T>(name: 'customers' | 'backoffice' | 'consumption' | 'backofficeActions'): T[] {
  const core = useCore();
  const [rows, setRows] = useState<T[]>([]);
  useEffect(() => {
    const collection = core.database()?.collections[name] as RxCollection<T> | undefined;
    if (!collection) return;
    const subscription = collection.find().$.subscribe((docs) => setRows(docs.map((doc) => doc.toJSON() as T)));
    return () => subscription.unsubscribe();
  }, [core, name]);
  return rows;
}

/** Customers sorted by name (pt-BR collation), live. */
export function useCustomers(): Customer[] {
  const rows = useLiveCollection<Customer>('customers');
  return useMemo(() => [...rows].sort((a, b) => collator.compare(a.name, b.name)), [rows]);
}

/** Services and contracts (one collection, by kind), live, sorted by code. */
export function useBackofficeDocs(): { services: ServiceDoc[]; contracts: ContractDoc[] } {
  const rows = useLiveCollection<BackofficeDoc>('backoffice');
  return useMemo(() => {
    const sorted = [...rows].sort((a, b) => collator.compare(a.code, b.code));
    return {
      services: sorted.filter((doc): doc is ServiceDoc => doc.kind === 'service'),
      contracts: sorted.filter((doc): doc is ContractDoc => doc.kind === 'contract'),
    };
  }, [rows]);
}

/** Consumption records, newest day first, live. */
export function useConsumption(): ConsumptionRecord[] {
  const rows = useLiveCollection<ConsumptionRecord>('consumption');
  return useMemo(() => [...rows].sort((a, b) => b.date.localeCompare(a.date) || b.updatedAt.localeCompare(a.updatedAt)), [rows]);
}

/** Contract transition requests made on this device, live (the pending ones are shown until applied). */
export function useContractRequests(): BackofficeAction[] {
  return useLiveCollection<BackofficeAction>('backofficeActions');
}

/** Open integration errors (server refusals) of the given collections: shown on the screen that wrote them. */
export function useRefusals(collections: readonly CollectionName[]): IntegrationError[] {
  const { integrationErrors } = usePosContext();
  const key = collections.join(',');
  return useMemo(() => (integrationErrors ?? []).filter((entry) => !entry.resolvedAt && key.split(',').includes(entry.collection)), [integrationErrors, key]);
}

/** Turns a rule refusal (in the user's language) or a core error into the sentence shown. */
export function useRefusalText(): (error: unknown) => string {
  const { i18n } = useTranslation();
  const errorText = useErrorText();
  return useCallback((error: unknown) => (error instanceof BackofficeRefused ? ruleMessage(error.error, i18n.language) : errorText(error)), [i18n.language, errorText]);
}

/** YYYY-MM-DD as the user's locale writes a date (pt-BR: 31/01/2026); the day is a calendar day, not an instant. */
export function useDay(): (day: string | undefined) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeZone: 'UTC' });
    return (day) => (day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? format.format(new Date(`${day}T00:00:00Z`)) : (day ?? ''));
  }, [i18n.language]);
}

/** A quantity as the user's locale writes it (pt-BR: 1.000.000), never the browser's default locale. */
export function useQuantity(): (quantity: number) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.NumberFormat(i18n.language);
    return (quantity) => format.format(quantity);
  }, [i18n.language]);
}

/** YYYY-MM as the user's locale names a month (pt-BR: jan. de 2026). */
export function usePeriod(): (period: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(i18n.language, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    return (period) => (/^\d{4}-\d{2}$/.test(period) ? format.format(new Date(`${period}-01T00:00:00Z`)) : period);
  }, [i18n.language]);
}

/**
 * Today as YYYY-MM-DD in the store's calendar (São Paulo), whatever zone this device's clock is set to:
 * the day the server counts a cancellation, a contract's start and usage in (sync/rules storeDay).
 */
export function today(): string {
  return storeDay(new Date());
}

export { parseWhole } from './input-parsing.ts';

export function newId(): string {
  return globalThis.crypto.randomUUID();
}
