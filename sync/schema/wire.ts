import type { CollectionName } from './registry.ts';
import type { QuarantineReason } from './errors.ts';
import type { Role } from './roles.ts';

/**
 * Server-assigned sequence number of the last document seen; never a device clock. `epoch` names the
 * history of the server that issued it: a checkpoint from another history (the server was restored
 * from a backup) is answered from the beginning, with `resync: true`. Send both back as they came.
 */
export interface Checkpoint {
  seq: number;
  epoch?: string;
}

/** Documents travel without RxDB's `_meta`, `_rev`, `_attachments`; deletions as `_deleted: true`. */
export type WireDocument<T = Record<string, unknown>> = T & { _deleted: boolean };

/** `GET /api/sync/:collection/pull?checkpoint=<seq>&limit=<n>` */
export interface PullResponse<T = Record<string, unknown>> {
  documents: WireDocument<T>[];
  /** The checkpoint after the last returned document; the request's checkpoint when none came. */
  checkpoint: Checkpoint | null;
  /**
   * The request's checkpoint was not issued by this history of the server (a restored backup): the
   * page starts from the beginning instead, and the device must treat everything it holds as to be
   * pulled again (RESYNC).
   */
  resync?: boolean;
}

/** `POST /api/sync/:collection/push` body is an array of these. */
export interface PushRow<T = Record<string, unknown>> {
  newDocumentState: WireDocument<T>;
  assumedMasterState?: WireDocument<T> | null;
}
/** The conflicting master documents; empty when every row was written (or quarantined). */
export type PushResponse<T = Record<string, unknown>> = WireDocument<T>[];

/**
 * Header of the push answer: the store sequence number the batch was stored at or below (every row it
 * acknowledged; any later change of them lands above it). Optional: older clients ignore it.
 */
export const PUSH_POSITION_HEADER = 'balcao-seq';

/** `GET /api/sync/stream` server-sent events: event `change` carries this JSON. */
export interface StreamChange<T = Record<string, unknown>> {
  collection: CollectionName;
  documents: WireDocument<T>[];
  checkpoint: Checkpoint;
}
/**
 * Event names on the stream. `resync` is sent on connect (data: a `StreamResync`; `"RESYNC"` from
 * older servers) and after any gap (data `"RESYNC"`): the device pulls from its checkpoints.
 */
export const STREAM_EVENTS = { change: 'change', resync: 'resync' } as const;

/**
 * Data of the `resync` event a stream opens with: per collection it carries, the checkpoint of its last
 * document when the stream opened (`{seq: 0, epoch: 'origin'}` while there is none). The stream carries
 * every change after it, so a device that was handed exactly that checkpoint (same seq and epoch) has
 * missed nothing and need not pull; any other device pulls from its checkpoint. Older devices ignore
 * the data.
 */
export interface StreamResync {
  positions: Partial<Record<CollectionName, Checkpoint>>;
}

/** `POST /api/stations/pair` */
export interface PairRequest {
  storeCode: string;
  stationCode: string;
  pairingCode: string;
}
export interface PairResponse {
  stationId: string;
  stationCode: string;
  stationName: string;
  store: { id: string; code: string; name: string };
  /** Secret the device keeps (safeStorage) and presents at every login from this station. */
  deviceKey: string;
}

/** `POST /api/auth/login` */
export interface LoginRequest {
  storeCode: string;
  userCode: string;
  password: string;
  stationId?: string;
  deviceKey?: string;
}
export interface SessionUser {
  id: string;
  code: string;
  name: string;
  roles: Role[];
}
export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: SessionUser;
  store: { id: string; code: string; name: string };
  stationId: string | null;
}

/** `POST /api/stations/heartbeat` (POS-13) */
export interface Heartbeat {
  pendingUploads: number;
  appVersion: string;
  lastError?: string | null;
}

/** `GET /api/stations` row (POS-13): what the admin monitor shows of a station. */
export interface StationStatus {
  id: string;
  code: string;
  name: string;
  groupId: string | null;
  paired: boolean;
  online: boolean;
  lastContact: string | null;
  pendingUploads: number;
  appVersion: string | null;
  lastError: string | null;
  /** When the pairing code issued for the station stops working; null when none is waiting. */
  pairingCodeExpiresAt?: string | null;
}

// ───────────── Station and store administration (issues 14, 15, 17) ─────────────

/** `POST /api/stations` (admin): registers a station of the signed-in store. */
export interface StationRegistration {
  code: string;
  name: string;
  /** A station group (master data of kind stationGroup); default none. */
  groupId?: string;
}

/** `POST /api/stations/:id/pairing-code` (admin) body. */
export interface PairingCodeRequest {
  /** Minutes until the code stops working; default 1,440 (a day). */
  expiresInMinutes?: number;
}
/** The code is shown once; it works once, until `expiresAt`. Issuing another replaces it. */
export interface PairingCodeIssued {
  stationId: string;
  stationCode: string;
  pairingCode: string;
  expiresAt: string;
}

/** What the administration trail records (`GET /api/admin/events`). */
export const ADMIN_EVENT_ACTIONS = [
  'setup_completed',
  'station_registered',
  'pairing_code_issued',
  'pairing_code_revoked',
  'station_paired',
  'station_unpaired',
  /** Issue 15: the admin saved the store's counter rules (detail: the settings). */
  'store_settings_changed',
  /** POS-20: the admin gave a user a supervisor code, or revoked it (detail: the user id). */
  'supervisor_code_set',
  'supervisor_code_revoked',
  /** Issue 15: the admin added a user or changed a user's roles (detail: user id and roles). */
  'user_created',
  'user_roles_changed',
  /** API-08: the admin created an integrator API key, or revoked one (detail: key id, name, scopes, expiry). */
  'api_key_created',
  'api_key_revoked',
  /** API-07: the admin promoted a sandbox key to a production key after a passing run (detail: new key, promotedFrom, runId). */
  'api_key_promoted',
  /** API-06: the admin created the store's sandbox (detail: sandboxStoreId, via: sandbox | first_key) or reset it (detail: sandboxStoreId, clockOffsetSeconds it had). */
  'sandbox_created',
  'sandbox_reset',
] as const;
export type AdminEventAction = (typeof ADMIN_EVENT_ACTIONS)[number];

/** `GET /api/admin/events` row, newest first. `userId` is null when a device acted (pairing). */
export interface AdminEvent {
  id: string;
  at: string;
  userId: string | null;
  userName: string | null;
  stationId: string | null;
  action: AdminEventAction;
  detail: string | null;
}

/** `GET /api/setup`: whether the server still waits for its first administrator. */
export interface SetupStatus {
  needed: boolean;
}
/** `POST /api/setup`: the first store and its administrator, with the one-time code the server printed. */
export interface SetupRequest {
  setupCode: string;
  storeCode: string;
  storeName: string;
  adminCode: string;
  adminName: string;
  password: string;
}

/** `GET /api/sync/errors` (POS-07): documents the server kept in quarantine. */
export interface IntegrationError {
  id: string;
  collection: CollectionName;
  documentId: string;
  stationId: string | null;
  reason: QuarantineReason;
  message: string;
  document: Record<string, unknown>;
  createdAt: string;
  attempts: number;
  resolvedAt: string | null;
}

/** `GET /health` */
export interface Health {
  status: 'ok';
  version: string;
  database: 'postgresql' | 'pglite';
}

/** `GET /api/pos/sales` (POS-12): a sale of the period with its state on the server. */
export interface PosSaleEntry {
  /** The sale as the server holds it; for a quarantined sale, the version it refused. */
  sale: Record<string, unknown>;
  /** `accepted`: stored; `quarantined`: kept aside (see GET /api/sync/errors), not counted anywhere. */
  syncState: 'accepted' | 'quarantined';
  /** An open refusal of this sale (of the sale itself, or of a later change such as its cancellation). */
  quarantine: { reason: QuarantineReason; message: string } | null;
}

/** `GET /api/pos/summary` (POS-15). Integer cents; cancelled sales excluded; an exchange counts what was paid. */
export interface PosSummary {
  from: string | null;
  to: string | null;
  stationId: string | null;
  /** IANA time zone the days are counted in. */
  timeZone: string;
  salesCount: number;
  /** What customers paid: payments (interest included) minus change, over every non-cancelled sale. */
  paidCents: number;
  cancelledCount: number;
  byPaymentType: { paymentTypeId: string; name: string | null; salesCount: number; amountCents: number; interestCents: number }[];
  bySeller: { sellerId: string; name: string | null; salesCount: number; paidCents: number }[];
  byDay: { day: string; salesCount: number; paidCents: number }[];
  /** Not in the totals above: quarantined sales, and what stations reported as still waiting to upload. */
  waiting: { quarantinedSales: number; quarantinedCents: number; pendingUploads: number };
}

/** `GET /api/pos/audit` (POS-16), newest first. */
export interface PosAuditEntry {
  id: string;
  at: string;
  userId: string;
  userName: string | null;
  /** The supervisor who authorised it (POS-20), else null. */
  supervisorId: string | null;
  supervisorName: string | null;
  stationId: string;
  action: string;
  subjectId: string | null;
  detail: string | null;
}

/** `PUT /api/stations/:id/group` (POS-08) */
export interface StationGroupMove {
  groupId: string;
}

// ───────────── Design projects (issue 4, DES-01..16): REST routes and the design portal's events ─────────────

/** `PUT /api/design/portal-account` (admin, DES-01). Without `signingSecret` the server generates one. */
export interface DesignPortalAccountRequest {
  storeTaxId: string;
  accountId: string;
  portalUrl: string;
  signingSecret?: string;
}
/** The secret is shown once: the portal needs it to sign its events. */
export interface DesignPortalAccountRegistered {
  accountId: string;
  signingSecret: string;
}
/** `GET /api/design/portal-account` (admin). */
export interface DesignPortalAccount {
  accountId: string;
  storeTaxId: string;
  portalUrl: string;
  registeredAt: string;
}

/** `GET|PUT /api/design/settings` (admin): the store's commercial rules for design budgets. */
export interface DesignSettings {
  /** Markup on the design catalogue's list prices, basis points (3000 = 30 %). */
  markupBp: number;
  /** Default discount on design items, basis points. */
  discountBp: number;
}

/** `POST /api/design/link` (designer, DES-02). */
export interface DesignLinkRequest {
  login: string;
  password: string;
}
/** `GET|POST /api/design/link`: 'relink' after a password change on the design side. */
export interface DesignLinkState {
  status: 'unlinked' | 'linked' | 'relink';
  designUserName?: string;
}

/** `GET /api/design/environments/:id/open-url?version=N` (DES-10). */
export interface DesignOpenUrl {
  /** http(s) address on the design portal (what the Electron bridge and a browser open). */
  url: string;
  /** `balcao-design://open?...` for a locally installed design software. */
  deepLink: string;
}

/** An item of a design save as the design software delivers it. */
export interface DesignEventItem {
  code: string;
  description: string;
  quantity: number;
  listPriceCents: number;
  supplier?: string;
}

/** `POST /api/design/events` bodies (signed with the account secret, see the OpenAPI document). */
export interface DesignSaveEvent {
  type: 'environment.saved' | 'environment.negotiate';
  eventId: string;
  designEnvironmentId: string;
  /** Unique id of this save in the design software. */
  designId: string;
  designRevision: number;
  optionName: string;
  savedAt: string;
  designUserId: string;
  credentialVersion: number;
  items: DesignEventItem[];
}
export interface DesignCredentialsChangedEvent {
  type: 'user.credentials_changed';
  eventId: string;
  designUserId: string;
  credentialVersion: number;
}
export type DesignEvent = DesignSaveEvent | DesignCredentialsChangedEvent;

/** 200 answer to an event; refusals answer `ErrorBody` (409 `design_locked`, 404, 401). */
export interface DesignEventAnswer {
  accepted: true;
  environmentId?: string;
  designRevision?: number;
  /** The environment has a save not imported yet (yellow mark). */
  outdated?: boolean;
  /** The version imported at once by a first "negotiate". */
  importedVersion?: number;
  /** Negotiate: where the store system shows the environment (not converted) or the review (converted). */
  openUrl?: string;
}
