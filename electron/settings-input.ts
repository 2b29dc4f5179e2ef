import { DEFAULT_DEVICE_SETTINGS, parseServerAddress, type DeviceSettings } from '../renderer/bridge/types.ts';

/**
 * IPC input is untrusted data even from our own page: only known keys with the right types get
 * into the settings file, and only the two known secret names are accepted.
 */
export { DEFAULT_DEVICE_SETTINGS };

const TEXT_KEYS = ['serverUrl', 'stationId', 'stationCode', 'stationName', 'storeCode', 'storeName'] as const;
const MAX_TEXT = 2048;

export function sanitizeSettingsPatch(patch: unknown): Partial<DeviceSettings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new TypeError('settings patch must be an object');
  }
  const input = patch as Record<string, unknown>;
  const clean: Partial<DeviceSettings> = {};
  for (const key of TEXT_KEYS) {
    if (!(key in input)) continue;
    const value = input[key];
    if (value !== null && (typeof value !== 'string' || value.length > MAX_TEXT)) {
      throw new TypeError(`settings.${key} must be a string or null`);
    }
    // The page's policy is built from it: only a clean origin, and https unless on this computer.
    if (key === 'serverUrl' && value !== null) {
      const address = parseServerAddress(value);
      if (!address.ok || address.origin !== value) throw new TypeError('settings.serverUrl must be an http(s) origin (https unless loopback)');
    }
    clean[key] = value;
  }
  if ('language' in input) {
    if (input.language !== 'pt-BR' && input.language !== 'en') throw new TypeError('settings.language must be pt-BR or en');
    clean.language = input.language;
  }
  return clean;
}

export type SecretName = 'sessionToken' | 'deviceKey';

export function isSecretName(name: unknown): name is SecretName {
  return name === 'sessionToken' || name === 'deviceKey';
}

export function sanitizeSecretValue(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length > 16_384) throw new TypeError('secret must be a string or null');
  return value;
}
