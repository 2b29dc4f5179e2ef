import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../build/paths.ts';

/**
 * A test names the capability it proves by its ID (CAPABILITIES.md). An ID that is not on that page
 * — mistyped, invented, or from another project's list — fails here, with the file and the title.
 */
const ID = /\b[A-Z]{2,}-(?:\d+|[A-Z]{3,})\b/g;

function listedIds(): Set<string> {
  const page = readFileSync(join(ROOT, 'CAPABILITIES.md'), 'utf8');
  return new Set([...page.matchAll(/^\|\s*([A-Z]{2,}-\d+)\s*\|/gm)].map((match) => match[1]!));
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const TITLED = new Set(['describe', 'it', 'test', 'suite', 'bench']);

/** `it(…)`, `it.skipIf(x)(…)`, `describe.each(rows)(…)`, `test.only(…)`: the name the call chain starts from. */
function rootName(callee: ts.Expression): string | null {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return rootName(callee.expression);
  if (ts.isCallExpression(callee)) return rootName(callee.expression);
  return null;
}

/** The literal text of a title: plain strings, and the fixed parts of a template. */
function titleText(node: ts.Expression | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  return null;
}

export function titlesOf(source: string, fileName = 'x.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = rootName(node.expression);
      const title = name && TITLED.has(name) ? titleText(node.arguments[0]) : null;
      if (title !== null) titles.push(title);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return titles;
}

describe('capability IDs in test titles', () => {
  it('finds titles however the test is declared', () => {
    const source = [
      "describe('POS-01 a', () => {",
      "  it('POS-02 b', () => {});",
      '  it.skipIf(true)(`POS-03 c ${1}`, () => {});',
      "  describe.each(['x'])('DES-04 d %s', () => {});",
      "  test('AUTH-OFFLINE e', () => {});",
      '  expect(1).toBe(1);',
      '});',
    ].join('\n');
    expect(titlesOf(source)).toEqual(['POS-01 a', 'POS-02 b', 'POS-03 c  ', 'DES-04 d %s', 'AUTH-OFFLINE e']);
    expect(titlesOf(source).flatMap((title) => title.match(ID) ?? [])).toEqual(['POS-01', 'POS-02', 'POS-03', 'DES-04', 'AUTH-OFFLINE']);
  });

  it('every ID a test title names is on the capability page', () => {
    const listed = listedIds();
    expect(listed.size).toBeGreaterThan(50);
    const unknown: string[] = [];
    let named = 0;
    for (const path of testFiles(join(ROOT, 'test'))) {
      for (const title of titlesOf(readFileSync(path, 'utf8'), path)) {
        for (const id of title.match(ID) ?? []) {
          named++;
          if (!listed.has(id)) unknown.push(`${relative(ROOT, path)}: ${id} in "${title}"`);
        }
      }
    }
    expect(named).toBeGreaterThan(100);
    expect(unknown, 'add the ID to CAPABILITIES.md with its meaning, or fix the title').toEqual([]);
  });
});
