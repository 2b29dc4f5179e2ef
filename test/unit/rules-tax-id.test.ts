import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTaxId,
  isValidCnpj,
  isValidCpf,
  isValidTaxId,
  normalizeTaxId,
  taxIdKind,
  withCnpjCheckDigits,
  withCpfCheckDigits,
} from '../../sync/rules/index.ts';

const CPF_FIRST_WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_FIRST_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const repeated = (value: string) => /^(\d)\1*$/.test(value);

function changeDigit(value: string, position: number, delta: number): string {
  const changed = (Number(value[position]) + delta) % 10;
  return `${value.slice(0, position)}${changed}${value.slice(position + 1)}`;
}

/**
 * Mod 11 maps remainders 0 and 1 to the same check digit, so a base-digit change whose weighted
 * difference is ±1 (mod 11) can leave both check digits intact: a weakness of the official algorithm
 * (e.g. 61840137509 and 51840137509 are both valid). Every other single-digit change is caught.
 */
function mayCollide(weight: number, digitDelta: number): boolean {
  const shift = (((weight * digitDelta) % 11) + 11) % 11;
  return shift === 1 || shift === 10;
}

describe('CPF / CNPJ (POS-09 customer tax id, BO-01)', () => {
  it('POS-09 accepts valid CPFs and CNPJs, digits or the usual punctuation', () => {
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('111.444.777-35')).toBe(true);
    expect(isValidCnpj('11222333000181')).toBe(true);
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true);
    expect(taxIdKind('52998224725')).toBe('cpf');
    expect(taxIdKind('11222333000181')).toBe('cnpj');
    expect(isValidTaxId('11222333000181')).toBe(true);
  });

  it('POS-09 refuses wrong check digits, repeated digits, letters and wrong lengths', () => {
    expect(isValidCpf('52998224724')).toBe(false);
    expect(isValidCnpj('11222333000182')).toBe(false);
    for (const d of '0123456789') {
      expect(isValidCpf(d.repeat(11))).toBe(false);
      expect(isValidCnpj(d.repeat(14))).toBe(false);
    }
    expect(isValidCpf('5299822472a5')).toBe(false);
    // Letters are read (upper-cased) for the alphanumeric CNPJ, but never make a CPF valid.
    expect(normalizeTaxId('529.982.247-2a')).toBe('5299822472A');
    expect(isValidTaxId('529.982.247-2a')).toBe(false);
    expect(normalizeTaxId('529.982.247-2#')).toBeNull();
    expect(isValidTaxId('52998224725 1')).toBe(false);
    expect(isValidTaxId('')).toBe(false);
    expect(isValidTaxId('123')).toBe(false);
    expect(isValidCpf('11222333000181')).toBe(false);
  });

  it('formats digits for display and leaves anything else as typed', () => {
    expect(formatTaxId('52998224725')).toBe('529.982.247-25');
    expect(formatTaxId('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatTaxId('529.982.247-25')).toBe('529.982.247-25');
    expect(formatTaxId('12')).toBe('12');
  });

  it('POS-09 generated CPFs are valid; one changed digit makes them invalid', () => {
    fc.assert(
      fc.property(digits(9), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 }), (base, position, delta) => {
        const cpf = withCpfCheckDigits(base);
        fc.pre(!repeated(cpf));
        expect(isValidCpf(cpf)).toBe(true);
        const digitDelta = ((Number(cpf[position]) + delta) % 10) - Number(cpf[position]);
        fc.pre(position >= 9 || !mayCollide(CPF_FIRST_WEIGHTS[position]!, digitDelta));
        expect(isValidCpf(changeDigit(cpf, position, delta))).toBe(false);
      }),
    );
  });

  it('POS-09 generated CNPJs are valid; one changed digit makes them invalid', () => {
    fc.assert(
      fc.property(digits(12), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (base, position, delta) => {
        const cnpj = withCnpjCheckDigits(base);
        fc.pre(!repeated(cnpj));
        expect(isValidCnpj(cnpj)).toBe(true);
        const digitDelta = ((Number(cnpj[position]) + delta) % 10) - Number(cnpj[position]);
        fc.pre(position >= 12 || !mayCollide(CNPJ_FIRST_WEIGHTS[position]!, digitDelta));
        expect(isValidCnpj(changeDigit(cnpj, position, delta))).toBe(false);
      }),
    );
  });

  it('documents the mod-11 collision the official algorithm cannot catch', () => {
    expect(isValidCpf('61840137509')).toBe(true);
    expect(isValidCpf('51840137509')).toBe(true);
    expect(isValidCnpj('82013506761800')).toBe(true);
    expect(isValidCnpj('82018506761800')).toBe(true);
  });
});
