import { describe, expect, it } from 'vitest';
import { IMPLAUSIBLE_CHARGE_CENTS, IMPLAUSIBLE_QUANTITY, implausibleUsage, usageWarningText } from '../../sync/rules/index.ts';

/** Issue 11 (breaker): 1,000,000,000 units of usage were accepted without a word; the rule that warns. */
describe('implausible usage quantity (BO-04)', () => {
  const minutes = { unit: 'min', unitPriceCents: 12 };

  it('BO-04 more than 1,000,000 units, or a charge above R$ 100,000.00 in one record, is implausible; either sign; the limits themselves are not', () => {
    expect(implausibleUsage(IMPLAUSIBLE_QUANTITY, undefined)).toBeNull();
    expect(implausibleUsage(IMPLAUSIBLE_QUANTITY + 1, undefined)).toMatchObject({ kind: 'quantity', chargeCents: null });
    expect(implausibleUsage(-(IMPLAUSIBLE_QUANTITY + 1), { unit: 'GB' })).toMatchObject({ kind: 'quantity', message: expect.stringContaining('GB') });
    // R$ 100,000.00 exactly at R$ 0,10 a unit = 1,000,000 units: neither limit passed.
    expect(implausibleUsage(IMPLAUSIBLE_CHARGE_CENTS / 10, { unitPriceCents: 10 })).toBeNull();
    expect(implausibleUsage(IMPLAUSIBLE_CHARGE_CENTS / 1000 + 1, { unitPriceCents: 1000 })).toMatchObject({ kind: 'charge', chargeCents: IMPLAUSIBLE_CHARGE_CENTS + 1000 });
    expect(implausibleUsage(1200, minutes)).toBeNull();
  });

  it('BO-04 the breaker\'s 1,000,000,000 minutes warn with the charge they would make, in pt-BR and English', () => {
    const warning = implausibleUsage(1_000_000_000, minutes)!;
    expect(warning).toMatchObject({ kind: 'charge', chargeCents: 12_000_000_000 });
    expect(usageWarningText(warning, 'pt-BR')).toBe('A quantidade 1.000.000.000 geraria R$ 120.000.000,00 em um só lançamento (mais de R$ 100.000,00). Confira se está certa.');
    expect(usageWarningText(warning, 'en')).toBe('Quantity 1000000000 min would charge R$ 120.000.000,00 in one record (more than R$ 100.000,00). Check that it is right.');
    expect(usageWarningText(implausibleUsage(2_000_000, undefined)!, 'pt-BR')).toBe('A quantidade 2.000.000 passa de 1.000.000 em um só lançamento. Confira se está certa.');
  });
});
