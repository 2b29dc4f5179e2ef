import { parseArgs } from 'node:util';
import { textReport, writeReports } from './report.ts';
import { runHomologation } from './runner.ts';

/**
 * npm run homologate -- --base <url> --key <key> [--out <folder>]
 * Walks the integration steps against a running server (API-07), prints the conformance report,
 * writes junit.xml and report.json into --out (default test-results/homologation/), and exits 1 when
 * a step failed (2 on bad arguments).
 */
const { values } = parseArgs({ options: { base: { type: 'string' }, key: { type: 'string' }, out: { type: 'string', default: 'test-results/homologation' } } });
if (!values.base || !values.key) {
  console.error('usage: npm run homologate -- --base <url> --key <integrator key> [--out <folder>]');
  process.exit(2);
}
const result = await runHomologation({ base: values.base, key: values.key });
console.log(textReport(result));
const written = await writeReports(result, values.out!);
console.log(`\nJUnit: ${written.junit}\nJSON:  ${written.json}`);
process.exit(result.passed ? 0 : 1);
