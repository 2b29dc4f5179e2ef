import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the embedded database lives: BALCAO_DATA_DIR, else the platform's user data folder. */
export function defaultDataDir(): string {
  if (process.env.BALCAO_DATA_DIR) return process.env.BALCAO_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Balcao', 'server');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Balcao', 'server');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'balcao', 'server');
}
