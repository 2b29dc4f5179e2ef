import { describe, expect, it } from 'vitest';
import { MAX_QUANTITY, isValidQuantity, parseQuantity, parseScan } from '../../renderer/core/pos/quantity.ts';
import { splitInstallments, installmentPlan, sumCents } from '../../sync/rules/index.ts';
import { installmentParts } from '../../renderer/ui/pos/money.ts';

describe('quantities typed at the counter', () => {
  it('POS-09 "0*", "-2*" and "99999999*" before a code are invalid quantities, not a zero line nor an unknown product', () => {
    for (const text of ['0*7890010000421', '-2*7890010000421', '99999999*7890010000421', '+0x7890010000421', '1,23456*abc', '0*']) {
      expect(parseScan(text), text).toMatchObject({ kind: 'invalidQuantity' });
    }
    expect(parseScan('-2*7890010000421')).toEqual({ kind: 'invalidQuantity', code: '7890010000421' });
  });

  it('POS-09 a valid prefix gives the quantity and the code; no prefix is one unit; a name with an x stays a name', () => {
    expect(parseScan('3*7890010000421')).toEqual({ kind: 'quantity', code: '7890010000421', quantity: 3 });
    expect(parseScan(' 12 x P000042 ')).toEqual({ kind: 'quantity', code: 'P000042', quantity: 12 });
    expect(parseScan(`${MAX_QUANTITY}*abc`)).toEqual({ kind: 'quantity', code: 'abc', quantity: MAX_QUANTITY });
    expect(parseScan('7890010000421')).toEqual({ kind: 'code', code: '7890010000421', quantity: 1 });
    expect(parseScan('caixa 2x')).toEqual({ kind: 'code', code: 'caixa 2x', quantity: 1 });
  });

  it('POS-09 the quantity field and exchange quantities use the same bounds', () => {
    expect(parseQuantity('1')).toEqual({ ok: true, quantity: 1 });
    expect(parseQuantity(String(MAX_QUANTITY))).toEqual({ ok: true, quantity: MAX_QUANTITY });
    for (const text of ['0', '-1', '', ' ', '1e3', '1,5', String(MAX_QUANTITY + 1), '99999999']) expect(parseQuantity(text).ok, text).toBe(false);
    expect(isValidQuantity(3)).toBe(true);
    for (const n of [0, -2, 1.5, MAX_QUANTITY + 1, Number.NaN]) expect(isValidQuantity(n), String(n)).toBe(false);
  });
});

describe('installments on screen and receipt', () => {
  const money = (cents: number) => `R$ ${(cents / 100).toFixed(2).replace('.', ',')}`;

  it('POS-06 the parts shown add up to the amount with interest, grouped when equal', () => {
    const plan = installmentPlan(10_000, 3, 199);
    expect(plan.interestCents).toBeGreaterThan(0);
    const text = installmentParts(plan.totalCents, 3, money);
    const parts = splitInstallments(plan.totalCents, 3);
    expect(sumCents(parts)).toBe(plan.totalCents);
    const shown = [...text.matchAll(/(\d+)x R\$ (\d+),(\d{2})/g)].map((m) => Number(m[1]) * (Number(m[2]) * 100 + Number(m[3])));
    expect(sumCents(shown)).toBe(plan.totalCents);
    expect(installmentParts(10_000, 4, money)).toBe('4x R$ 25,00');
    expect(installmentParts(10_000, 3, money)).toBe('1x R$ 33,34 + 2x R$ 33,33');
  });
});

describe('phone numbers', () => {
  it('BO-01 accepts Brazilian landlines and mobiles with area code (optionally +55) and formats them; refuses the rest', async () => {
    const { formatPhone, phoneProblem } = await import('../../renderer/ui/phone.ts');
    for (const ok of ['', '(11) 98765-4321', '11987654321', '+55 11 98765-4321', '1134567890', '(21) 2345-6789']) expect(phoneProblem(ok), ok).toBeNull();
    expect(phoneProblem('98765-4321')).toBe('length');
    expect(phoneProblem('(01) 98765-4321')).toBe('areaCode');
    expect(phoneProblem('11 88765-4321')).toBe('mobile');
    expect(phoneProblem('abc')).toBe('characters');
    expect(phoneProblem('123')).toBe('length');
    expect(formatPhone('11987654321')).toBe('(11) 98765-4321');
    expect(formatPhone('+55 21 2345 6789')).toBe('(21) 2345-6789');
    expect(formatPhone('123')).toBe('123');
  });
});
