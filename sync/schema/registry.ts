import type { CollectionSchema } from './json-schema.ts';
import type { Role } from './roles.ts';
import { productSchema, type Product } from './collections/products.ts';
import { masterdataSchema, type MasterRecord } from './collections/masterdata.ts';
import { customerSchema, type Customer } from './collections/customers.ts';
import { saleSchema, type Sale } from './collections/sales.ts';
import { auditEventSchema, type AuditEvent } from './collections/audit-events.ts';
import { cashMovementSchema, type CashMovement } from './collections/cash-movements.ts';
import { designProjectSchema, type DesignProject } from './collections/design-projects.ts';
import { designEnvironmentSchema, type DesignEnvironmentDoc } from './collections/design-environments.ts';
import { designActionSchema, type DesignAction } from './collections/design-actions.ts';
import { purchaseOrderSchema, type PurchaseOrder } from './collections/purchase-orders.ts';
import { backofficeSchema, type BackofficeDoc } from './collections/backoffice.ts';
import { consumptionSchema, type ConsumptionRecord } from './collections/consumption.ts';
import { backofficeActionSchema, type BackofficeAction } from './collections/backoffice-actions.ts';

/**
 * Who may see a collection's documents beyond the store boundary every collection has:
 * - 'store': every device of the store (with a reading role) receives every document;
 * - 'station': a device receives only documents whose `stationId` is its own, unless the user is admin.
 */
export type Visibility = 'store' | 'station';

export interface CollectionDefinition<Doc = unknown> {
  name: string;
  schema: CollectionSchema;
  /** Roles whose devices receive this collection. */
  readRoles: readonly Role[];
  /** Roles whose devices may push changes; an empty list makes it read-only on devices. */
  writeRoles: readonly Role[];
  visibility: Visibility;
  /**
   * Records are written once and never change or go away (the audit trail, cash movements, design and
   * back-office requests): the server refuses a changed version and `_deleted: true` on every write path. Sending
   * the same record again stays harmless.
   */
  appendOnly?: boolean;
  /**
   * The server derives every document from requests and events after its own guards (design projects,
   * environments and purchase orders come from designActions and the design software): no caller
   * writes them, not even an administrator through the integration API, which may write the other
   * read-only collections (catalogue, master data). A direct write would skip those guards (DES-11).
   */
  derived?: boolean;
  /**
   * Fields only some of the writing roles may set or change (`roles`); a new document from anyone else
   * must hold `defaults` there (absent when not listed). E.g. a cashier registers and edits customers at
   * the till, but only the back office deactivates one (BO-01). Every write path checks it (server
   * rules/restricted-fields.ts); the device's forms do not offer it.
   */
  restrictedFields?: {
    fields: readonly string[];
    roles: readonly Role[];
    defaults: Readonly<Record<string, unknown>>;
    /** Why, in the refusal's words (English, as every refusal message), e.g. "only the back office deactivates or reactivates a customer". */
    rule: string;
  };
  /**
   * Times (JSON pointers) that name a planned date, which may lie years ahead (a promotion's period).
   * Every other time in a document is a clock reading — of a device, or of the server — and must fall
   * in the plausible window (sync/schema/storable.ts). Not in the RxDB schema: changing that would
   * change its hash on every device.
   */
  scheduledTimes?: readonly string[];
  /** Phantom field carrying the document type. */
  readonly __doc?: Doc;
}

const ALL: readonly Role[] = ['cashier', 'designer', 'reviewer', 'backoffice', 'admin'];
/** Design projects: designers negotiate, reviewers review, the back office releases contracts. */
const DESIGN: readonly Role[] = ['designer', 'reviewer', 'backoffice', 'admin'];
/** Back office (BO-01..05): services, contracts, consumption and contract requests. */
const BACK_OFFICE: readonly Role[] = ['backoffice', 'admin'];

/**
 * RxDB's open-source edition opens at most 13 collections per process, and an admin's device opens
 * every collection: new kinds of data share a collection (see masterdata, backoffice) instead of
 * adding one. A unit test holds the registry to this number.
 */
export const MAX_DEVICE_COLLECTIONS = 13;

function define<Doc>(definition: Omit<CollectionDefinition<Doc>, '__doc'>): CollectionDefinition<Doc> {
  return definition;
}

export const COLLECTIONS = {
  products: define<Product>({ name: 'products', schema: productSchema, readRoles: ALL, writeRoles: [], visibility: 'store' }),
  masterdata: define<MasterRecord>({
    name: 'masterdata',
    schema: masterdataSchema,
    readRoles: ALL,
    writeRoles: [],
    visibility: 'store',
    scheduledTimes: ['/promotion/startsAt', '/promotion/endsAt'],
  }),
  customers: define<Customer>({
    name: 'customers',
    schema: customerSchema,
    readRoles: ALL,
    writeRoles: ['cashier', 'designer', 'backoffice', 'admin'],
    visibility: 'store',
    restrictedFields: { fields: ['active', 'deactivationReason', 'deactivatedAt', 'deactivatedBy'], roles: BACK_OFFICE, defaults: { active: true }, rule: 'only the back office deactivates or reactivates a customer' },
  }),
  sales: define<Sale>({ name: 'sales', schema: saleSchema, readRoles: ['cashier', 'admin'], writeRoles: ['cashier', 'admin'], visibility: 'station' }),
  cashMovements: define<CashMovement>({
    name: 'cashMovements',
    schema: cashMovementSchema,
    readRoles: ['cashier', 'admin'],
    writeRoles: ['cashier', 'admin'],
    visibility: 'station',
    appendOnly: true,
  }),
  auditEvents: define<AuditEvent>({ name: 'auditEvents', schema: auditEventSchema, readRoles: ALL, writeRoles: ALL, visibility: 'station', appendOnly: true }),
  designProjects: define<DesignProject>({ name: 'designProjects', schema: designProjectSchema, readRoles: DESIGN, writeRoles: [], visibility: 'store', derived: true }),
  designEnvironments: define<DesignEnvironmentDoc>({ name: 'designEnvironments', schema: designEnvironmentSchema, readRoles: DESIGN, writeRoles: [], visibility: 'store', derived: true }),
  designActions: define<DesignAction>({ name: 'designActions', schema: designActionSchema, readRoles: DESIGN, writeRoles: DESIGN, visibility: 'store', appendOnly: true }),
  purchaseOrders: define<PurchaseOrder>({ name: 'purchaseOrders', schema: purchaseOrderSchema, readRoles: DESIGN, writeRoles: [], visibility: 'store', derived: true }),
  backoffice: define<BackofficeDoc>({ name: 'backoffice', schema: backofficeSchema, readRoles: BACK_OFFICE, writeRoles: BACK_OFFICE, visibility: 'store' }),
  consumption: define<ConsumptionRecord>({ name: 'consumption', schema: consumptionSchema, readRoles: BACK_OFFICE, writeRoles: BACK_OFFICE, visibility: 'store' }),
  backofficeActions: define<BackofficeAction>({ name: 'backofficeActions', schema: backofficeActionSchema, readRoles: BACK_OFFICE, writeRoles: BACK_OFFICE, visibility: 'store', appendOnly: true }),
} as const;

export type CollectionName = keyof typeof COLLECTIONS;
export type DocOf<C extends CollectionName> = (typeof COLLECTIONS)[C] extends CollectionDefinition<infer D> ? D : never;

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export function isCollectionName(name: string): name is CollectionName {
  return Object.prototype.hasOwnProperty.call(COLLECTIONS, name);
}

export function canRead(collection: CollectionName, roles: readonly Role[]): boolean {
  return COLLECTIONS[collection].readRoles.some((role) => roles.includes(role));
}

export function canWrite(collection: CollectionName, roles: readonly Role[]): boolean {
  return COLLECTIONS[collection].writeRoles.some((role) => roles.includes(role));
}

/**
 * The restricted field (CollectionDefinition.restrictedFields) these roles would set or change by writing
 * `doc` over `previous` (undefined: a new document), with the entry's rule, or null when they may write it.
 */
export function restrictedFieldChanged(collection: CollectionName, roles: readonly Role[], doc: Readonly<Record<string, unknown>>, previous: Readonly<Record<string, unknown>> | undefined): { field: string; rule: string } | null {
  const restricted = (COLLECTIONS[collection] as CollectionDefinition).restrictedFields;
  if (!restricted || restricted.roles.some((role) => roles.includes(role))) return null;
  const before = previous ?? restricted.defaults;
  const field = restricted.fields.find((name) => JSON.stringify(doc[name]) !== JSON.stringify(before[name]));
  return field === undefined ? null : { field, rule: restricted.rule };
}

/** The collections a device with these roles replicates. */
export function collectionsFor(roles: readonly Role[]): CollectionName[] {
  return COLLECTION_NAMES.filter((name) => canRead(name, roles));
}
