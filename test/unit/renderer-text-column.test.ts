import { describe, expect, it } from 'vitest';
import { TextColumn } from '../../renderer/data/text-column.ts';

describe('catalogue text column (issue 16)', () => {
  it('reads a joined snapshot column value by value, with writes and new slots beside it', () => {
    const column = new TextColumn('alfa\n\nção\nz', 4);
    expect([0, 1, 2, 3].map((slot) => column.get(slot))).toEqual(['alfa', '', 'ção', 'z']);
    expect(column.length).toBe(4);
    column.set(1, 'beta');
    column.set(3, undefined);
    column.push('novo');
    expect([0, 1, 2, 3, 4].map((slot) => column.get(slot))).toEqual(['alfa', 'beta', 'ção', undefined, 'novo']);
    // What the snapshot held stays readable (binary search over loaded ids).
    expect([1, 3].map((slot) => column.loaded(slot))).toEqual(['', 'z']);
    expect(column.length).toBe(5);
    expect(new TextColumn().length).toBe(0);
  });

  it('refuses a joined column that holds fewer values than its count', () => {
    expect(() => new TextColumn('a\nb', 3)).toThrow(/2 values, not 3/);
  });
});
