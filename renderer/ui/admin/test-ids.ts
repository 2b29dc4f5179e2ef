/** data-testid values of the API keys screen (end-to-end tests find elements by these). */
export const API_KEYS_IDS = {
  nav: 'nav-api-keys',
  page: 'api-keys-page',
  create: 'api-keys-create',
  error: 'api-keys-error',
  table: 'api-keys-table',
  row: 'api-keys-row',
  status: 'api-keys-status',
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
