import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { DeviceSettings } from '../renderer/bridge/types.ts';
import { DEFAULT_DEVICE_SETTINGS, type SecretName } from './settings-input.ts';

/**
 * Device settings in electron-store (plain JSON in the user's profile); secrets encrypted with the
 * OS keychain through safeStorage. Where the OS offers no encryption, secrets are kept in memory
 * only: the user signs in again after a restart rather than having a token on disk in clear text.
 */
export interface SettingsStore {
  get(): DeviceSettings;
  set(patch: Partial<DeviceSettings>): DeviceSettings;
  getSecret(name: SecretName): string | null;
  setSecret(name: SecretName, value: string | null): void;
}

type SecretFile = Partial<Record<SecretName, string>>;

export function openSettingsStore(initialServerUrl: string | null): SettingsStore {
  const settings = new Store<DeviceSettings>({
    name: 'settings',
    defaults: { ...DEFAULT_DEVICE_SETTINGS, serverUrl: initialServerUrl },
    clearInvalidConfig: true,
  });
  const secrets = new Store<SecretFile>({ name: 'secrets', clearInvalidConfig: true });
  const inMemory = new Map<SecretName, string>();

  return {
    get: () => ({ ...DEFAULT_DEVICE_SETTINGS, ...settings.store }),
    set(patch) {
      settings.set({ ...settings.store, ...patch });
      return { ...DEFAULT_DEVICE_SETTINGS, ...settings.store };
    },
    getSecret(name) {
      if (!safeStorage.isEncryptionAvailable()) return inMemory.get(name) ?? null;
      const sealed = secrets.get(name);
      if (!sealed) return null;
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        // A keychain change makes old ciphertext unreadable: forget it, the user signs in again.
        secrets.delete(name);
        return null;
      }
    },
    setSecret(name, value) {
      if (!safeStorage.isEncryptionAvailable()) {
        if (value === null) inMemory.delete(name);
        else inMemory.set(name, value);
        return;
      }
      if (value === null) secrets.delete(name);
      else secrets.set(name, safeStorage.encryptString(value).toString('base64'));
    },
  };
}
