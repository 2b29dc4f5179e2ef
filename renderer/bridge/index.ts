import type { BalcaoBridge } from './types.ts';
import { createWebBridge } from './web-bridge.ts';

export type { BalcaoBridge, DeviceSettings, SyncTrayState, AppInfo } from './types.ts';

let bridge: BalcaoBridge | null = null;

/** Electron's preload exposes `window.balcao`; a plain browser gets the web implementation. */
export function getBridge(): BalcaoBridge {
  bridge ??= window.balcao ?? createWebBridge();
  return bridge;
}
