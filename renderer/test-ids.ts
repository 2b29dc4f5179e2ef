import { BACKOFFICE_IDS } from './ui/backoffice/test-ids.ts';

/** Stable `data-testid`s for end-to-end tests. Renaming one breaks test/e2e: keep them. */
export const TEST_IDS = {
  setup: {
    form: 'setup-form',
    serverUrl: 'setup-server-url',
    serverUrlError: 'setup-server-url-error',
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
  /** The question before an irreversible action (renderer/ui/ConfirmButton.tsx). */
  confirm: {
    dialog: 'confirm-dialog',
    yes: 'confirm-yes',
    no: 'confirm-no',
  },
  shell: {
    /** Carries `data-online="true|false"`. */
    connectionBadge: 'connection-badge',
    pendingCount: 'pending-count',
    sendNow: 'send-now',
    lastSync: 'last-sync',
    lastError: 'last-error',
    /** The "offline session" badge: present while the session was opened with the local verifier. */
    offlineSession: 'offline-session',
    storageError: 'storage-error',
    /** The navigation list (scrolls when the entries outgrow the window). */
    nav: 'shell-nav',
    userMenu: 'user-menu',
    /** In the user menu: the user's roles, in the user's language. */
    roles: 'user-roles',
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
    /** Shown when more products match than the list holds ("refine the search"). */
    more: 'products-more',
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
  /** Point of sale (issue 3). Rows carry ids and states in data-* attributes. */
  pos: {
    nav: {
      sale: 'nav-pos-sale',
      cancelSale: 'nav-pos-cancel-sale',
      exchange: 'nav-pos-exchange',
      cancelExchange: 'nav-pos-cancel-exchange',
      cash: 'nav-pos-cash',
      query: 'nav-pos-query',
      summary: 'nav-pos-summary',
      errors: 'nav-pos-errors',
      audit: 'nav-pos-audit',
      storage: 'nav-pos-storage',
      monitor: 'nav-pos-monitor',
      store: 'nav-pos-store',
    },
    /** Carries `data-ready="true"` once master data is loaded. */
    sale: 'pos-sale',
    scan: 'pos-scan',
    scanError: 'pos-scan-error',
    suggestion: 'pos-suggestion',
    /** `data-product-id`, `data-quantity`, `data-total-cents`, `data-promotion-id`. */
    cartRow: 'pos-cart-row',
    lineQuantity: 'pos-line-quantity',
    lineRemove: 'pos-line-remove',
    /** Opens the line's manual discount / typed price (POS-20). */
    lineAdjust: 'pos-line-adjust',
    adjust: { dialog: 'pos-adjust-dialog', discount: 'pos-adjust-discount', price: 'pos-adjust-price', save: 'pos-adjust-save' },
    saleDiscount: 'pos-sale-discount',
    /** Shown while the store blocks selling past the known stock. */
    stockBlocked: 'pos-stock-blocked',
    /** On a cart line selling more than the station's known stock: `data-stock`. */
    lineStock: 'pos-line-stock',
    /** The sale's warning about lines past the known stock: `data-count` lines. */
    stockWarning: 'pos-stock-warning',
    seller: 'pos-seller',
    customer: 'pos-customer',
    /** `data-cents` */
    total: 'pos-total',
    promotion: 'pos-promotion',
    pay: 'pos-pay',
    newSale: 'pos-new-sale',
    saleError: 'pos-sale-error',
    payment: {
      modal: 'pos-payment',
      /** `data-payment-type-id`, `data-method` */
      type: 'pos-payment-type',
      condition: 'pos-payment-condition',
      amount: 'pos-payment-amount',
      add: 'pos-payment-add',
      /** `data-cents` */
      remaining: 'pos-payment-remaining',
      change: 'pos-payment-change',
      line: 'pos-payment-line',
      finish: 'pos-payment-finish',
      /** `data-cents`: due plus the interest of the payments entered. */
      totalWithInterest: 'pos-payment-total-with-interest',
      error: 'pos-payment-error',
      /** POS-21: the voucher number of a voucher payment; `data-balance-cents` once found. */
      voucherNumber: 'pos-payment-voucher-number',
      voucherFind: 'pos-payment-voucher-find',
    },
    /** `data-sale-id`, `data-number`, `data-total-cents`, `data-change-cents` */
    receipt: 'pos-receipt',
    receiptClose: 'pos-receipt-close',
    /** Present on a reprinted receipt (POS-23). */
    receiptCopy: 'pos-receipt-copy',
    /** POS-21: the voucher an exchange issued; `data-number`, `data-cents`. */
    receiptVoucher: 'pos-receipt-voucher',
    /** `data-amount-cents`, `data-interest-cents` */
    receiptPayment: 'pos-receipt-payment',
    receiptInstallments: 'pos-receipt-installments',
    /** `data-cents`: what the customer pays in all, interest included. */
    receiptTotalWithInterest: 'pos-receipt-total-with-interest',
    /** An exchange's receipt lists the goods that came back (POS-11). */
    receiptReturned: 'pos-receipt-returned',
    receiptReturnedItem: 'pos-receipt-returned-item',
    reprintPrint: 'pos-reprint-print',
    reprintClose: 'pos-reprint-close',
    /** Issue 15: the store's administration page (admin). */
    store: {
      page: 'pos-store',
      error: 'pos-store-error',
      message: 'pos-store-message',
      stockPolicy: 'pos-store-stock-policy',
      sellerPolicy: 'pos-store-seller-policy',
      maxDiscount: 'pos-store-max-discount',
      saveSettings: 'pos-store-save-settings',
      /** `data-user-id`, `data-supervisor` */
      userRow: 'pos-store-user',
      userRoles: 'pos-store-user-roles',
      codeInput: 'pos-store-code-input',
      codeSave: 'pos-store-code-save',
      codeRevoke: 'pos-store-code-revoke',
      newUserCode: 'pos-store-new-user-code',
      newUserName: 'pos-store-new-user-name',
      newUserPassword: 'pos-store-new-user-password',
      newUserSave: 'pos-store-new-user-save',
      /** `data-station-id` */
      stationRow: 'pos-store-station',
      issueCode: 'pos-store-issue-code',
      revokeCode: 'pos-store-revoke-code',
      issuedCode: 'pos-store-issued-code',
      newStationCode: 'pos-store-new-station-code',
      newStationName: 'pos-store-new-station-name',
      newStationSave: 'pos-store-new-station-save',
    },
    /** POS-20: the supervisor's code dialog. */
    supervisor: {
      dialog: 'pos-supervisor-dialog',
      body: 'pos-supervisor-body',
      code: 'pos-supervisor-code',
      confirm: 'pos-supervisor-confirm',
      error: 'pos-supervisor-error',
    },
    cancel: {
      find: 'pos-cancel-find',
      findButton: 'pos-cancel-find-button',
      /** `data-sale-id`, `data-status` */
      sale: 'pos-cancel-sale',
      reason: 'pos-cancel-reason',
      note: 'pos-cancel-note',
      confirm: 'pos-cancel-confirm',
      done: 'pos-cancel-done',
      error: 'pos-cancel-error',
    },
    exchange: {
      find: 'pos-exchange-find',
      findButton: 'pos-exchange-find-button',
      /** `data-product-id` */
      returnQuantity: 'pos-exchange-return-quantity',
      credit: 'pos-exchange-credit',
      next: 'pos-exchange-next',
      error: 'pos-exchange-error',
    },
    cash: {
      kind: 'pos-cash-kind',
      amount: 'pos-cash-amount',
      reason: 'pos-cash-reason',
      note: 'pos-cash-note',
      save: 'pos-cash-save',
      /** `data-kind` */
      row: 'pos-cash-row',
      state: 'pos-cash-state',
      error: 'pos-cash-error',
      /** POS-19: asks a supervisor for a withdrawal larger than the cash in the drawer. */
      supervisor: 'pos-cash-supervisor',
    },
    /** POS-19: closing the till per payment type, and its report. */
    closing: {
      panel: 'pos-closing',
      /** `data-payment-type-id`, `data-expected-cents` */
      row: 'pos-closing-row',
      counted: 'pos-closing-counted',
      close: 'pos-closing-close',
      report: 'pos-closing-report',
      /** `data-payment-type-id`, `data-difference-cents` */
      reportRow: 'pos-closing-report-row',
      print: 'pos-closing-print',
      reportClose: 'pos-closing-report-close',
    },
    query: {
      from: 'pos-query-from',
      to: 'pos-query-to',
      /** `data-sale-id`, `data-number`, `data-status`, `data-sync-state` */
      row: 'pos-query-row',
      count: 'pos-query-count',
      /** In each row: opens a second copy of the receipt (POS-23). */
      reprint: 'pos-query-reprint',
    },
    summary: {
      /** `data-cents`, `data-count` */
      total: 'pos-summary-total',
      /** `data-count`, `data-cents` */
      waiting: 'pos-summary-waiting',
      /** `data-key`, `data-cents` */
      paymentRow: 'pos-summary-payment',
      sellerRow: 'pos-summary-seller',
      dayRow: 'pos-summary-day',
      from: 'pos-summary-from',
      to: 'pos-summary-to',
    },
    errors: {
      refresh: 'pos-errors-refresh',
      /** `data-document-id`, `data-reason`, `data-resolved` */
      row: 'pos-errors-row',
      retry: 'pos-errors-retry',
      empty: 'pos-errors-empty',
      offline: 'pos-errors-offline',
    },
    /** `data-action`, `data-subject-id` */
    auditRow: 'pos-audit-row',
    storage: {
      /** `data-bytes` */
      usage: 'pos-storage-usage',
      quota: 'pos-storage-quota',
      /** `data-collection`, `data-count` */
      collection: 'pos-storage-collection',
    },
    monitor: {
      /** `data-station-code`, `data-online`, `data-pending` */
      row: 'pos-monitor-row',
      /** Station group select of a row (POS-08). */
      group: 'pos-monitor-group',
      unreachable: 'pos-monitor-unreachable',
      /** Registering a new station group (POS-04). */
      newGroupName: 'pos-monitor-new-group-name',
      newGroupSave: 'pos-monitor-new-group-save',
    },
  },
  /** Design projects (issue 4). Rows carry ids and states in data-* attributes. */
  design: {
    nav: {
      projects: 'nav-design-projects',
      link: 'nav-design-link',
      portal: 'nav-design-portal',
      /** `data-count` = open notices */
      notices: 'nav-design-notices',
    },
    /** In-app notice (toast and list): `data-environment-id`, `data-revision`, `data-done` */
    notice: 'design-notice',
    noticeOpen: 'design-notice-open',
    noticeDismiss: 'design-notice-dismiss',
    projects: {
      /** `data-project-id`, `data-stage`, `data-pending` */
      row: 'design-project-row',
      add: 'design-project-add',
      name: 'design-project-name',
      customer: 'design-project-customer',
      /** Optional: links a legacy design project (DES-15). */
      legacyId: 'design-project-legacy-id',
      save: 'design-project-save',
      error: 'design-project-error',
    },
    project: {
      /** `data-project-id`, `data-stage`, `data-contract` */
      page: 'design-project',
      stage: 'design-project-stage',
      back: 'design-project-back',
      newEnvironmentName: 'design-new-environment-name',
      newEnvironment: 'design-new-environment',
      /** `data-environment-id`, `data-status`, `data-outdated`, `data-stage`, `data-versions` */
      environment: 'design-environment-card',
      environmentOpen: 'design-environment-open',
      refresh: 'design-environment-refresh',
      legacyId: 'design-legacy-id',
      legacyLink: 'design-legacy-link',
      release: 'design-release-contract',
      review: 'design-open-review',
      /** `data-kind`, `data-environment-id`, `data-version` */
      history: 'design-history-entry',
      historyBy: 'design-history-by',
      /** `data-order-id`, `data-supplier`, `data-total-cents` */
      purchaseOrder: 'design-purchase-order',
      error: 'design-project-action-error',
      /** The last project-level request the server refused (history 'action_refused'). */
      refusal: 'design-project-refusal',
    },
    environment: {
      /** `data-environment-id`, `data-outdated`, `data-stage` */
      page: 'design-environment',
      back: 'design-environment-back',
      tabItems: 'design-tab-items',
      tabVersions: 'design-tab-versions',
      tabApprove: 'design-tab-approve',
      tabHistory: 'design-tab-history',
      outdated: 'design-outdated',
      update: 'design-update',
      /** `data-item-id`, `data-origin`, `data-code`, `data-quantity`, `data-total-cents`, `data-pending` */
      item: 'design-item',
      itemRemove: 'design-item-remove',
      itemDescription: 'design-item-description',
      itemQuantity: 'design-item-quantity',
      itemPrice: 'design-item-price',
      itemAdd: 'design-item-add',
      /** `data-cents` */
      total: 'design-total',
      /** `data-number`, `data-newest`, `data-converted`, `data-design-id`, `data-after-conversion` */
      version: 'design-version',
      openDesign: 'design-open-software',
      openLink: 'design-open-link',
      approve: 'design-approve',
      /** `data-state` = none | waiting | refused | approved, `data-code` */
      approval: 'design-approval',
      refusal: 'design-refusal',
      occurrenceSource: 'design-occurrence-source',
      occurrenceCreate: 'design-occurrence-create',
      error: 'design-environment-error',
    },
    update: {
      modal: 'design-update-modal',
      /** `data-kind`, `data-key` */
      change: 'design-update-change',
      confirm: 'design-update-confirm',
    },
    review: {
      /** `data-released`, `data-stage` */
      page: 'design-review',
      /** The forced update on the reviewer's first access. */
      mandatory: 'design-review-mandatory',
      mandatoryUpdate: 'design-review-mandatory-update',
      /** `data-environment-id`, `data-changed-after-conversion`, `data-outdated` */
      environment: 'design-review-environment',
      start: 'design-review-start',
      finish: 'design-review-finish',
      error: 'design-review-error',
    },
    link: {
      /** `data-status` = unlinked | linked | relink */
      status: 'design-link-status',
      login: 'design-link-login',
      password: 'design-link-password',
      submit: 'design-link-submit',
      error: 'design-link-error',
    },
    portal: {
      taxId: 'design-portal-tax-id',
      accountId: 'design-portal-account-id',
      url: 'design-portal-url',
      submit: 'design-portal-submit',
      /** Shown once after registering. */
      secret: 'design-portal-secret',
      current: 'design-portal-current',
      error: 'design-portal-error',
    },
  },
  backoffice: BACKOFFICE_IDS,
} as const;
