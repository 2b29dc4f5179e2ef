import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { I18N_RESOURCES, type Language } from '../../renderer/i18n/index.ts';

async function translator(language: Language) {
  const instance = i18next.createInstance();
  await instance.init({ lng: language, fallbackLng: 'pt-BR', resources: I18N_RESOURCES, interpolation: { escapeValue: false }, showSupportNotice: false });
  return instance.t.bind(instance);
}

function everyString(value: unknown, path: string, found: [string, string][]): [string, string][] {
  if (typeof value === 'string') found.push([path, value]);
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) everyString(inner, path ? `${path}.${key}` : key, found);
  return found;
}

describe('UI words: counted nouns agree with their number', () => {
  it('no string in either language writes a plural as "item(s)": counted words use plural forms', () => {
    const parenthesised = /\w\((s|es|ns|m|ões)\)/;
    for (const language of ['pt-BR', 'en'] as const) {
      const offenders = everyString(I18N_RESOURCES[language], '', []).filter(([, text]) => parenthesised.test(text));
      expect(offenders, language).toEqual([]);
    }
  });

  it('one and many read right in pt-BR and English, nested counts included', async () => {
    const pt = await translator('pt-BR');
    const en = await translator('en');
    expect(pt('admin.keys.runFailed', { count: 1 })).toBe('1 etapa com falha');
    expect(pt('admin.keys.runFailed', { count: 4 })).toBe('4 etapas com falha');
    expect(en('admin.keys.runFailed', { count: 4 })).toBe('4 steps failed');
    expect(pt('admin.sandbox.days', { count: 2 })).toBe('2 dias');
    expect(pt('bo.refusals', { count: 1 })).toBe('O servidor recusou 1 alteração desta tela. Corrija e grave de novo:');
    expect(pt('bo.sheets.errorsTitle', { count: 3, rows: 1 })).toBe('3 problemas em 1 linha:');
    expect(en('bo.sheets.errorsTitle', { count: 1, rows: 1 })).toBe('1 problem in 1 row:');
    expect(pt('bo.sheets.done', { count: 1000 })).toBe('1000 registros gravados neste computador; serão enviados ao servidor.');
    expect(pt('bo.sheets.missing', { count: 1, columns: 'CPF' })).toBe('Falta a coluna obrigatória CPF. Associe uma coluna do arquivo a ela.');
    expect(pt('pos.errorCodes.voucher_spent', { count: 2, number: 'V-1' })).toContain('usado em 2 vendas');
    expect(pt('design.update.summary', { option: 'A', revision: 3, added: 1, changed: 2, removed: 0 })).toBe('Opção "A", revisão 3: 1 item novo, 2 alterados, 0 removidos.');
    expect(en('design.update.summary', { option: 'A', revision: 3, added: 2, changed: 1, removed: 1 })).toBe('Option "A", revision 3: 2 new items, 1 changed, 1 removed.');
  });
});
