import { describe, expect, it } from 'vitest';
import { warningHeader } from '../../sync/server/http/warning-header.ts';

/** BO-04: an accepted write's warning travels as `Warning: 299 - "…"`; its text comes partly from users (a service's unit). */
describe('Warning header (RFC 7234 §5.5)', () => {
  it('BO-04 folds the text to printable ASCII: accents dropped, non-breaking spaces made plain, a line break cannot split the header', () => {
    expect(warningHeader('Quantidade 10 m³ geraria R$\u00a0200.000,00 — confira.')).toEqual({ warning: '299 - "Quantidade 10 m3 geraria R$ 200.000,00 ? confira."' });
    expect(warningHeader('unit "kWh"\r\nX-Injected: yes \\ end').warning).toBe('299 - "unit \\"kWh\\" X-Injected: yes \\\\ end"');
  });

  it('BO-04 the value is one a Node server may send: no character outside latin-1, no control character', () => {
    const { warning } = warningHeader('\u0000\u0007tab\there 日本 emoji 🙂');
    expect(warning).toMatch(/^299 - "[\x20-\x7e]*"$/);
    expect(warning).toBe('299 - "??tab here ?? emoji ??"');
  });
});
