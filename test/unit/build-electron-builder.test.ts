import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../build/paths.ts';

/**
 * The packaging configuration (electron-builder is not a dependency, so its YAML is read as text):
 * top-level `key: value` pairs and the `key: value` lines of one indented block.
 */
const config = readFileSync(join(ROOT, 'build', 'electron-builder.yml'), 'utf8');

function block(name: string): Map<string, string> {
  const lines = config.split('\n');
  const start = lines.findIndex((line) => line === `${name}:`);
  const entries = new Map<string, string>();
  if (start === -1) return entries;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const match = /^\s+([A-Za-z]+):\s*(\S+)\s*$/.exec(line);
    if (match) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

describe('packaging (build/electron-builder.yml)', () => {
  it('flips the Electron fuses: no run-as-node, no NODE_OPTIONS, no inspector; ASAR integrity and ASAR only', () => {
    const fuses = block('electronFuses');
    expect(Object.fromEntries(fuses)).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('packs the app into app.asar, which the fuses above check and load from', () => {
    expect(config).toMatch(/^asar: true$/m);
  });
});
