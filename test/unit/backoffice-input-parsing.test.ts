import { describe, expect, it } from 'vitest';
import { dayText, parseDay, parseWhole } from '../../renderer/ui/backoffice/input-parsing.ts';
import { backofficeEn } from '../../renderer/i18n/backoffice.en.ts';
import { backofficePtBR } from '../../renderer/i18n/backoffice.pt-BR.ts';

describe('back-office form input', () => {
  it('BO-03 BO-04 a day typed DD/MM/AAAA (or ISO) becomes YYYY-MM-DD; an impossible day is refused', () => {
    expect(parseDay('01/11/2026')).toBe('2026-11-01');
    expect(parseDay(' 3/2/2026 ')).toBe('2026-02-03');
    expect(parseDay('2026-11-01')).toBe('2026-11-01');
    expect(parseDay('31/02/2026')).toBeNull();
    expect(parseDay('11/2026')).toBeNull();
    expect(parseDay('')).toBeNull();
    expect(dayText('2026-11-01')).toBe('01/11/2026');
  });

  it('BO-04 quantities are whole numbers; pt-BR thousands dots are allowed, negatives only where asked', () => {
    expect(parseWhole('1.500')).toBe(1500);
    expect(parseWhole('120')).toBe(120);
    expect(parseWhole('-10')).toBeNull();
    expect(parseWhole('-10', true)).toBe(-10);
    expect(parseWhole('1,5')).toBeNull();
    expect(parseWhole('1.5')).toBeNull();
    expect(parseWhole('-1.000', true)).toBe(-1000);
    expect(parseWhole('abc')).toBeNull();
    expect(parseWhole('99999999999999999999')).toBeNull();
  });

  it('the back-office screens have the same keys in pt-BR and English', () => {
    const keys = (value: object, prefix = ''): string[] =>
      Object.entries(value).flatMap(([key, inner]) => (typeof inner === 'object' && inner ? keys(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`]));
    expect(keys(backofficeEn).sort()).toEqual(keys(backofficePtBR).sort());
  });
});
