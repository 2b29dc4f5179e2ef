/** Stable `data-testid`s for end-to-end tests. Renaming one breaks test/e2e: keep them. */
export const TEST_IDS = {
  setup: {
    form: 'setup-form',
    serverUrl: 'setup-server-url',
    storeCode: 'setup-store-code',
    stationCode: 'setup-station-code',
    pairingCode: 'setup-pairing-code',
    submit: 'setup-submit',
    error: 'setup-error',
  },
  login: {
    form: 'login-form',
    userCode: 'login-user-code',
    password: 'login-password',
    submit: 'login-submit',
    error: 'login-error',
    /** Why the user is back at login (session expired, open in another tab). */
    notice: 'login-notice',
  },
  shell: {
    /** Carries `data-online="true|false"`. */
    connectionBadge: 'connection-badge',
    pendingCount: 'pending-count',
    sendNow: 'send-now',
    lastSync: 'last-sync',
    lastError: 'last-error',
    storageError: 'storage-error',
    userMenu: 'user-menu',
    logout: 'logout',
    languagePt: 'language-pt-BR',
    languageEn: 'language-en',
    navProducts: 'nav-products',
    navCustomers: 'nav-customers',
  },
  products: {
    /** Total number of products in the local database, as digits in `data-count`. */
    count: 'products-count',
    search: 'product-search',
    row: 'product-row',
    /** Present while the first sync runs; `data-pulled` carries the documents pulled so far. */
    firstSyncProgress: 'first-sync-progress',
    empty: 'products-empty',
  },
  customers: {
    add: 'customer-add',
    search: 'customer-search',
    row: 'customer-row',
    rowSyncState: 'customer-sync-state',
    edit: 'customer-edit',
    name: 'customer-name',
    taxId: 'customer-tax-id',
    email: 'customer-email',
    phone: 'customer-phone',
    city: 'customer-city',
    save: 'customer-save',
    cancel: 'customer-cancel',
    count: 'customers-count',
  },
} as const;
