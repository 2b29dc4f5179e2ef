import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { I18N_RESOURCES } from '../../renderer/i18n/index.ts';

/**
 * The back-office lists' counts at zero (seen in the 1024 px screenshots of issue 11: "Total: 0 conta"):
 * pt-BR's plural rules put 0 with 1, so a count that can be zero says "nenhum(a)" instead.
 */
describe('back-office counts at zero', () => {
  it('BO-01 BO-04 BO-05 an empty list reads "nenhum" in pt-BR and "no" in English, not "0 conta"', async () => {
    const t = async (lng: 'pt-BR' | 'en') => {
      const instance = i18next.createInstance();
      await instance.init({ lng, fallbackLng: 'pt-BR', resources: I18N_RESOURCES, interpolation: { escapeValue: false }, showSupportNotice: false });
      return instance.t.bind(instance);
    };
    const pt = await t('pt-BR');
    const en = await t('en');
    expect(pt('bo.receivables.total', { count: 0, amount: 'R$ 0,00' })).toBe('Total: nenhuma conta, R$ 0,00');
    expect(pt('bo.receivables.total', { count: 1, amount: 'R$ 1,00' })).toBe('Total: 1 conta, R$ 1,00');
    expect(pt('bo.customers.count', { count: 0 })).toBe('Nenhum cliente');
    expect(pt('bo.consumption.count', { count: 0 })).toBe('Nenhum lançamento');
    expect(pt('bo.consumption.count', { count: 2 })).toBe('2 lançamentos');
    expect(en('bo.receivables.total', { count: 0, amount: 'R$ 0,00' })).toBe('Total: no receivables, R$ 0,00');
    expect(en('bo.customers.count', { count: 0 })).toBe('No customers');
  });
});
