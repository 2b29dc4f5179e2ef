import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 CPU profile (CDP `Profiler.stop`) this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by source module of the bundle (or V8 pseudo-frames such as `(idle)`, `(garbage collector)`). */
  byModule: { module: string; ms: number; share: number }[];
  byFunction: { fn: string; module: string; ms: number }[];
}

/** `// node_modules/rxdb/...` comments the unminified bundle puts before each module, by line. */
function moduleRegions(bundleDir: string): { url: string; starts: { line: number; module: string }[] }[] {
  const assets = join(bundleDir, 'assets');
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const starts: { line: number; module: string }[] = [];
      readFileSync(join(assets, file), 'utf8')
        .split('\n')
        .forEach((text, line) => {
          const match = /^\/\/ (\S+\.(?:m?js|ts|tsx))$/.exec(text);
          if (match) starts.push({ line, module: match[1]!.replace(/^node_modules\//, '').replace(/\/dist\/esm\//, '/') });
        });
      return { url: file, starts };
    });
}

function moduleOf(regions: ReturnType<typeof moduleRegions>, url: string, line: number, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const bundle = regions.find((region) => url.endsWith(region.url));
  if (!bundle) return url.replace(/^.*\//, '');
  let found = '(bundle)';
  for (const start of bundle.starts) {
    if (start.line > line) break;
    found = start.module;
  }
  return found;
}

/** Self time per module and per function, from the samples (each sample's time delta goes to its node). */
export function summarize(profile: CpuProfile, bundleDir: string, top = 15): ProfileSummary {
  const regions = moduleRegions(bundleDir);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, { module: string; ms: number }>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id);
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const module = moduleOf(regions, url, lineNumber, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + us / 1000);
    const key = `${functionName || '(anonymous)'}@${module}:${lineNumber + 1}`;
    const entry = byFunction.get(key) ?? { module, ms: 0 };
    entry.ms += us / 1000;
    byFunction.set(key, entry);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  return {
    totalMs: Math.round(totalMs),
    byModule: [...byModule.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, ms]) => ({ module, ms: Math.round(ms), share: Math.round((ms / totalMs) * 1000) / 10 })),
    byFunction: [...byFunction.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, top)
      .map(([key, value]) => ({ fn: `${key.slice(0, key.indexOf('@'))}:${key.slice(key.lastIndexOf(':') + 1)}`, module: value.module, ms: Math.round(value.ms) })),
  };
}
