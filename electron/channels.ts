import type { BalcaoBridge } from '../renderer/bridge/types.ts';

/** One IPC channel per bridge method; shared by preload and main so the names cannot drift. */
export type BridgeMethod = keyof BalcaoBridge;

export const CHANNELS = {
  getSettings: 'balcao:get-settings',
  setSettings: 'balcao:set-settings',
  getSecret: 'balcao:get-secret',
  setSecret: 'balcao:set-secret',
  notify: 'balcao:notify',
  openDesignSoftware: 'balcao:open-design-software',
  setSyncState: 'balcao:set-sync-state',
  appInfo: 'balcao:app-info',
  /** main → page only: a balcao:// link the OS handed to the app. */
  onOpenLink: 'balcao:open-link',
} as const satisfies Record<BridgeMethod, `balcao:${string}`>;
