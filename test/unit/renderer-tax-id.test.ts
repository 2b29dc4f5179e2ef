import { describe, expect, it } from 'vitest';
import { formatTaxId, isValidCnpj, isValidCpf, isValidTaxId } from '../../renderer/core/tax-id.ts';

describe('CPF / CNPJ check digits (renderer copy)', () => {
  it('accepts valid CPFs and CNPJs, formatted or not', () => {
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('11144477735')).toBe(true);
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true);
    expect(isValidTaxId('11222333000181')).toBe(true);
    expect(isValidTaxId('52998224725')).toBe(true);
  });

  it('refuses wrong check digits, repeated digits and wrong lengths', () => {
    expect(isValidCpf('52998224724')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
    expect(isValidCnpj('11222333000182')).toBe(false);
    expect(isValidCnpj('00000000000000')).toBe(false);
    expect(isValidTaxId('123')).toBe(false);
    expect(isValidTaxId('')).toBe(false);
  });

  it('formats digits for display', () => {
    expect(formatTaxId('52998224725')).toBe('529.982.247-25');
    expect(formatTaxId('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatTaxId('12')).toBe('12');
  });
});
