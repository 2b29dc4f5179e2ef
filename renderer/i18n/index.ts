import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ptBR } from './pt-BR.ts';
import { en } from './en.ts';
import { posPtBR } from './pos.pt-BR.ts';
import { posEn } from './pos.en.ts';
import { designPtBR } from './design.pt-BR.ts';
import { designEn } from './design.en.ts';
import { backofficePtBR } from './backoffice.pt-BR.ts';
import { backofficeEn } from './backoffice.en.ts';
import { sheetsPtBR } from './sheets.pt-BR.ts';
import { sheetsEn } from './sheets.en.ts';
import { apiKeysPtBR } from './apikeys.pt-BR.ts';
import { apiKeysEn } from './apikeys.en.ts';
import { adminTrailPtBR } from './admintrail.pt-BR.ts';
import { adminTrailEn } from './admintrail.en.ts';
import { adminPtBR } from './admin.pt-BR.ts';
import { adminEn } from './admin.en.ts';

export type Language = 'pt-BR' | 'en';

/**
 * Every UI string, by language. Counted words use i18next plurals (`key_one` / `key_other`, chosen by
 * `count` through Intl.PluralRules), never "item(s)".
 */
export const I18N_RESOURCES = {
  'pt-BR': { translation: { ...ptBR, pos: posPtBR, design: designPtBR, bo: { ...backofficePtBR, sheets: sheetsPtBR }, apiKeys: apiKeysPtBR, adminTrail: adminTrailPtBR, admin: adminPtBR } },
  en: { translation: { ...en, pos: posEn, design: designEn, bo: { ...backofficeEn, sheets: sheetsEn }, apiKeys: apiKeysEn, adminTrail: adminTrailEn, admin: adminEn } },
} as const;

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'pt-BR',
    resources: I18N_RESOURCES,
    // React escapes already.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
