import { app, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import type { AppInfo, DeviceSettings, SyncTrayState } from '../renderer/bridge/types.ts';
import { CHANNELS } from './channels.ts';
import { parseDesignSoftwareUrl, parseNotification, parseSyncState } from './ipc-input.ts';
import { isTrustedSender } from './security-policy.ts';
import { isSecretName, sanitizeSecretValue, sanitizeSettingsPatch } from './settings-input.ts';
import type { SettingsStore } from './settings.ts';

export interface BridgeHost {
  settings: SettingsStore;
  notify(title: string, body: string): Promise<boolean>;
  setSyncState(state: SyncTrayState, pendingUploads: number): void;
  /** After every settings change the page asked for, with the settings before and after it. */
  settingsChanged?(before: DeviceSettings, after: DeviceSettings): void;
}

type Handler = (...args: unknown[]) => unknown;

function handle(channel: string, handler: Handler): void {
  ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    if (!isTrustedSender(event.senderFrame)) {
      throw new Error(`Refused ${channel}: the request did not come from the Balcão window.`);
    }
    return handler(...args);
  });
}

/** The main-process side of `window.balcao`: one handler per bridge method, every sender checked. */
export function registerBridge(host: BridgeHost): void {
  handle(CHANNELS.getSettings, () => host.settings.get());
  handle(CHANNELS.setSettings, (patch) => {
    const clean = sanitizeSettingsPatch(patch);
    const before = host.settings.get();
    const after = host.settings.set(clean);
    host.settingsChanged?.(before, after);
    return after;
  });
  handle(CHANNELS.getSecret, (name) => {
    if (!isSecretName(name)) throw new TypeError('unknown secret');
    return host.settings.getSecret(name);
  });
  handle(CHANNELS.setSecret, (name, value) => {
    if (!isSecretName(name)) throw new TypeError('unknown secret');
    host.settings.setSecret(name, sanitizeSecretValue(value));
  });
  handle(CHANNELS.notify, (title, body) => {
    const input = parseNotification(title, body);
    return host.notify(input.title, input.body);
  });
  handle(CHANNELS.openDesignSoftware, (url) => shell.openExternal(parseDesignSoftwareUrl(url)));
  handle(CHANNELS.setSyncState, (state, pendingUploads) => {
    const input = parseSyncState(state, pendingUploads);
    host.setSyncState(input.state, input.pendingUploads);
  });
  handle(CHANNELS.appInfo, (): AppInfo => ({ version: app.getVersion(), host: 'electron', platform: process.platform }));
}
