/**
 * What an update would change, item by item (shown before updating, DES-08/09): the environment's
 * current design items against the latest announced save. Hand-added items are not compared because
 * an update keeps them (DES-09).
 */
import type { DesignBudgetItem } from '../../../sync/schema/index.ts';

export type ItemChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ItemChange {
  kind: ItemChangeKind;
  key: string;
  description: string;
  before?: Pick<DesignBudgetItem, 'quantity' | 'unitPriceCents' | 'totalCents'>;
  after?: Pick<DesignBudgetItem, 'quantity' | 'unitPriceCents' | 'totalCents'>;
}

export interface ItemDiff {
  changes: ItemChange[];
  added: number;
  removed: number;
  changed: number;
  /** Total of the design items after minus before, in cents. */
  deltaCents: number;
}

/** Design items are matched by their catalogue code; a line without one by its description. */
function keyOf(item: DesignBudgetItem): string {
  return item.code ? `code:${item.code}` : `description:${item.description.trim().toLowerCase()}`;
}

function pick(item: DesignBudgetItem) {
  return { quantity: item.quantity, unitPriceCents: item.unitPriceCents, totalCents: item.totalCents };
}

/** Sums lines that share a key, so a save that splits one line in two is not reported as a loss. */
function byKey(items: readonly DesignBudgetItem[]): Map<string, DesignBudgetItem> {
  const map = new Map<string, DesignBudgetItem>();
  for (const item of items) {
    if (item.origin !== 'design') continue;
    const key = keyOf(item);
    const seen = map.get(key);
    map.set(key, seen ? { ...seen, quantity: seen.quantity + item.quantity, totalCents: seen.totalCents + item.totalCents } : item);
  }
  return map;
}

export function diffItems(current: readonly DesignBudgetItem[], incoming: readonly DesignBudgetItem[]): ItemDiff {
  const before = byKey(current);
  const after = byKey(incoming);
  const changes: ItemChange[] = [];
  let deltaCents = 0;
  for (const [key, next] of after) {
    const previous = before.get(key);
    deltaCents += next.totalCents - (previous?.totalCents ?? 0);
    if (!previous) changes.push({ kind: 'added', key, description: next.description, after: pick(next) });
    else if (previous.quantity !== next.quantity || previous.unitPriceCents !== next.unitPriceCents || previous.totalCents !== next.totalCents) {
      changes.push({ kind: 'changed', key, description: next.description, before: pick(previous), after: pick(next) });
    } else changes.push({ kind: 'unchanged', key, description: next.description, before: pick(previous), after: pick(next) });
  }
  for (const [key, previous] of before) {
    if (after.has(key)) continue;
    deltaCents -= previous.totalCents;
    changes.push({ kind: 'removed', key, description: previous.description, before: pick(previous) });
  }
  const order: Record<ItemChangeKind, number> = { added: 0, changed: 1, removed: 2, unchanged: 3 };
  changes.sort((a, b) => order[a.kind] - order[b.kind] || a.description.localeCompare(b.description, 'pt-BR'));
  const count = (kind: ItemChangeKind) => changes.filter((change) => change.kind === kind).length;
  return { changes, added: count('added'), removed: count('removed'), changed: count('changed'), deltaCents };
}
