import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `engines.node` in package.json is a promise: every package the lock file installs runs on every
 * Node version it admits. npm only warns (EBADENGINE) when a package wants more; this test fails.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  overrides?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('Node version (engines)', () => {
  it('the Node running the tests satisfies engines.node', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it('every locked package accepts the lowest Node that engines.node admits', () => {
    const lowest = semver.minVersion(pkg.engines.node);
    expect(lowest).not.toBeNull();
    const wantMore: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || !entry.engines || Array.isArray(entry.engines) || !entry.engines.node) continue;
      if (!semver.satisfies(lowest!, entry.engines.node, { includePrerelease: true })) {
        wantMore.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${entry.engines.node}`);
      }
    }
    expect(wantMore).toEqual([]);
  });

  it("no source imports the RxDB plugins whose dependencies are held back for Node 20 (see README 'Node version')", () => {
    // package.json overrides z-schema (rxdb wants 12, Node 22) and graphql (rxdb wants 17, Node 22)
    // with older majors. RxDB loads them only in these plugins, which must therefore stay unused.
    expect(pkg.overrides).toMatchObject({ 'z-schema': expect.any(String), graphql: expect.any(String) });
    const forbidden = /rxdb\/plugins\/(validate-z-schema|replication-graphql)/;
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name) && !path.endsWith('build-engines.test.ts')) {
          if (forbidden.test(readFileSync(path, 'utf8'))) offenders.push(relative(ROOT, path));
        }
      }
    };
    for (const dir of ['renderer', 'sync', 'electron', 'build', 'test']) walk(join(ROOT, dir));
    expect(offenders).toEqual([]);
  });
});
