/**
 * Two devices changed the same customer, contract or usage record offline (BO-01, BO-03, BO-04). The rule that settles it,
 * applied by the server when a device's upload assumed an older version than the server's:
 *
 * - Three-way merge against the version the device last saw (`base`), field by field (top-level
 *   fields; arrays of objects with an `id`, such as a contract's lines, element by element).
 * - A field only the device changed takes the device's value; only the server's side changed keeps
 *   the server's; both changed to the same value is no conflict.
 * - Both changed to different values: the version that reached the server first keeps the field, and
 *   the other value is reported as a conflict. The server stores the merged document and keeps the
 *   device's whole version in integration errors (reason `edit_conflict`, naming each field and both
 *   values), where the user re-applies it if it was the right one. So no side's change is lost
 *   silently: it is either merged or listed.
 * - `ignore` fields (e.g. `updatedAt`, display only) never conflict: the later value wins.
 * - `serverOwned` fields (a contract's state and history, changed only through requests) always keep
 *   the server's value.
 * - `lastEdit` fields say who made the last edit (a usage record's `userId`): they never conflict and
 *   come from the side whose `lastEdit.at` time is later, so they stay with that time.
 */
export interface FieldConflict {
  /** `name`, or `lines[<id>]` for an element of an array of objects with ids. */
  field: string;
  device: unknown;
  server: unknown;
}

export interface MergeResult<T> {
  merged: T;
  conflicts: FieldConflict[];
}

export interface MergeOptions {
  ignore?: readonly string[];
  serverOwned?: readonly string[];
  /** E.g. `{ at: 'updatedAt', fields: ['userId'] }`: two users editing is not a conflict of who edited. */
  lastEdit?: { at: string; fields: readonly string[] };
}

function same(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined).map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type Keyed = { id: string } & Record<string, unknown>;

function isKeyedArray(value: unknown): value is Keyed[] {
  return Array.isArray(value) && value.every((item) => item !== null && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string');
}

/** One value merged three ways; a conflict keeps the server's value. */
function mergeValue(field: string, base: unknown, device: unknown, server: unknown, conflicts: FieldConflict[]): unknown {
  if (same(device, server) || same(device, base)) return server;
  if (same(server, base)) return device;
  const arrays = [base ?? [], device ?? [], server ?? []];
  if (arrays.every(isKeyedArray)) return mergeKeyed(field, arrays[0] as Keyed[], arrays[1] as Keyed[], arrays[2] as Keyed[], conflicts);
  conflicts.push({ field, device, server });
  return server;
}

function mergeKeyed(field: string, base: Keyed[], device: Keyed[], server: Keyed[], conflicts: FieldConflict[]): Keyed[] {
  const byId = (items: Keyed[]) => new Map(items.map((item) => [item.id, item]));
  const [b, d, s] = [byId(base), byId(device), byId(server)];
  const order = [...server.map((item) => item.id), ...device.map((item) => item.id).filter((id) => !s.has(id))];
  const result: Keyed[] = [];
  for (const id of order) {
    const merged = mergeValue(`${field}[${id}]`, b.get(id), d.get(id), s.get(id), conflicts);
    if (merged !== undefined) result.push(merged as Keyed);
  }
  return result;
}

/** The merged document and the fields both sides changed differently (see the module's rules). */
export function mergeConcurrentEdits<T extends Record<string, unknown>>(base: T, device: T, server: T, options: MergeOptions = {}): MergeResult<T> {
  const conflicts: FieldConflict[] = [];
  const merged: Record<string, unknown> = {};
  const ignore = new Set(options.ignore ?? []);
  const serverOwned = new Set(options.serverOwned ?? []);
  const lastEdit = new Set(options.lastEdit?.fields ?? []);
  const at = options.lastEdit?.at ?? '';
  const lastEditor = String(device[at] ?? '') > String(server[at] ?? '') ? device : server;
  for (const key of new Set([...Object.keys(server), ...Object.keys(device), ...Object.keys(base)])) {
    let value: unknown;
    if (serverOwned.has(key)) value = server[key];
    else if (lastEdit.has(key)) value = lastEditor[key];
    else if (ignore.has(key)) value = [device[key], server[key]].filter((item) => item !== undefined).sort().at(-1);
    else value = mergeValue(key, base[key], device[key], server[key], conflicts);
    if (value !== undefined) merged[key] = value;
  }
  return { merged: merged as T, conflicts };
}
