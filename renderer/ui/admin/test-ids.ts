/** data-testid values of the API keys screen (end-to-end tests find elements by these). */
export const API_KEYS_IDS = {
  nav: 'nav-api-keys',
  page: 'api-keys-page',
  create: 'api-keys-create',
  error: 'api-keys-error',
  table: 'api-keys-table',
  row: 'api-keys-row',
  status: 'api-keys-status',
  /** "Criada por <name>": the admin who made the key, by name. */
  createdBy: 'api-keys-created-by',
  revoke: 'api-keys-revoke',
  secret: 'api-keys-secret',
  done: 'api-keys-done',
  form: 'api-keys-form',
  name: 'api-keys-name',
  /** Followed by `-<resource>-<read|write>`. */
  scope: 'api-keys-scope',
  expires: 'api-keys-expires',
  formError: 'api-keys-form-error',
  save: 'api-keys-save',
} as const;

/** data-testid values of the admin trail screen (issue 15). */
export const ADMIN_TRAIL_IDS = {
  nav: 'nav-admin-trail',
  /** `data-count`: rows shown. */
  page: 'admin-trail-page',
  filter: 'admin-trail-filter',
  refresh: 'admin-trail-refresh',
  error: 'admin-trail-error',
  /** `data-kind`, `data-action` */
  row: 'admin-trail-row',
  at: 'admin-trail-at',
  supervisor: 'admin-trail-supervisor',
} as const;

/** data-testid values of the webhook subscriptions screen (issue 13, API-02). */
export const WEBHOOKS_IDS = {
  nav: 'nav-webhooks',
  page: 'webhooks-page',
  create: 'webhooks-create',
  refresh: 'webhooks-refresh',
  error: 'webhooks-error',
  /** `data-subscription-id`, `data-status` */
  row: 'webhooks-row',
  status: 'webhooks-status',
  /** Who made it: the admin's name, or the integrator key's name. */
  owner: 'webhooks-owner',
  /** `data-kind`: delivery_failed | key_revoked | manual | other */
  pauseReason: 'webhooks-pause-reason',
  pause: 'webhooks-pause',
  resume: 'webhooks-resume',
  rotate: 'webhooks-rotate',
  ping: 'webhooks-ping',
  log: 'webhooks-log',
  remove: 'webhooks-remove',
  form: 'webhooks-form',
  url: 'webhooks-url',
  /** Followed by `-<event type>`. */
  event: 'webhooks-event',
  stockLevel: 'webhooks-stock-level',
  formError: 'webhooks-form-error',
  save: 'webhooks-save',
  secret: 'webhooks-secret',
  secretDone: 'webhooks-secret-done',
  logPanel: 'webhooks-log-panel',
  /** `data-message-id`, `data-state` */
  message: 'webhooks-message',
  /** `data-message-id`, `data-status` */
  attempt: 'webhooks-attempt',
  redeliver: 'webhooks-redeliver',
  logRefresh: 'webhooks-log-refresh',
} as const;

/** data-testid values of the sandbox screen (issue 13, API-06). */
export const SANDBOX_IDS = {
  nav: 'nav-sandbox',
  page: 'sandbox-page',
  error: 'sandbox-error',
  none: 'sandbox-none',
  create: 'sandbox-create',
  info: 'sandbox-info',
  /** Followed by `-<products|customers|stations|contracts>`, `data-count`. */
  fixture: 'sandbox-fixture',
  reset: 'sandbox-reset',
  /** `data-offset-seconds` */
  clock: 'sandbox-clock',
  amount: 'sandbox-clock-amount',
  unit: 'sandbox-clock-unit',
  advance: 'sandbox-clock-advance',
  clockError: 'sandbox-clock-error',
} as const;

/** data-testid values added to the API keys screen for issue 13 (environment, homologation, promotion). */
export const KEY_HOMOLOGATION_IDS = {
  /** `data-environment` */
  environment: 'api-keys-environment',
  /** `data-passed`: true | false | none */
  lastRun: 'api-keys-last-run',
  runPanel: 'api-keys-run-panel',
  /** `data-step`, `data-passed` */
  runStep: 'api-keys-run-step',
  promote: 'api-keys-promote',
  /** Why promotion is not offered yet. */
  promoteWhy: 'api-keys-promote-why',
} as const;
