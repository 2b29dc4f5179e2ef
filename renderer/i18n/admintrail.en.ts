import type { adminTrailPtBR } from './admintrail.pt-BR.ts';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** English strings of the admin trail screen, same keys as admintrail.pt-BR.ts. */
export const adminTrailEn: Strings<typeof adminTrailPtBR> = {
  nav: 'Admin trail',
  title: 'Admin trail',
  subtitle: 'Who did what in the store: supervisor authorisations, cancellations, the till, and changes to stations, users, codes and keys. Shows what has reached the server.',
  filter: 'Show',
  all: 'Everything',
  refresh: 'Refresh',
  empty: 'Nothing recorded yet.',
  at: 'When',
  who: 'Who',
  action: 'What',
  station: 'Station',
  detail: 'Detail',
  kinds: {
    supervisor: 'Supervisor authorisations',
    cancellation: 'Cancellations',
    till: 'Till (opening, withdrawal, closing)',
    administration: 'Administration (stations, users, keys)',
    other: 'Other',
  },
  adminActions: {
    setup_completed: 'First setup',
    station_registered: 'Station registered',
    pairing_code_issued: 'Pairing code issued',
    pairing_code_revoked: 'Pairing code revoked',
    station_paired: 'Station paired',
    station_unpaired: 'Station cut off',
    store_settings_changed: 'Counter rules changed',
    supervisor_code_set: 'Supervisor code set',
    supervisor_code_revoked: 'Supervisor code revoked',
    user_created: 'User created',
    user_roles_changed: "User's roles changed",
    api_key_created: 'API key created',
    api_key_revoked: 'API key revoked',
    api_key_promoted: 'API key promoted to production',
    sandbox_created: 'Homologation sandbox created',
    sandbox_reset: 'Homologation sandbox reset',
  },
};
