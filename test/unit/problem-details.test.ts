import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../sync/server/http/problem.ts';
import { localiseProblem, problemLanguage } from '../../sync/server/http/problem-details.ts';

describe('problem details (RFC 9457)', () => {
  it('API-01 Accept-Language picks pt-BR or English by q-value; English when neither is asked for', () => {
    expect(problemLanguage(undefined)).toBe('en');
    expect(problemLanguage('pt-BR')).toBe('pt-BR');
    expect(problemLanguage('fr-FR, pt;q=0.8, en;q=0.5')).toBe('pt-BR');
    expect(problemLanguage('pt-BR;q=0.2, en-US;q=0.9')).toBe('en');
    expect(problemLanguage('de, fr')).toBe('en');
    expect(problemLanguage('pt;q=0, en')).toBe('en');
  });

  it('API-01 a batch refusal carries a JSON pointer per refused item, each detail in the chosen language', () => {
    const problem = new ApiProblem(422, 'validation_failed', '2 of 3 items were refused; the others were stored.', undefined, undefined, {
      messagePt: '2 de 3 itens foram recusados; os outros foram gravados.',
      errors: [
        { pointer: '/items/0/priceCents', code: 'invalid_value', detail: 'must be an integer', detailPt: 'deve ser um número inteiro' },
        { pointer: '/items/2/barcode', detail: 'is already used by p-7' },
      ],
    });
    const pt = localiseProblem(problem.toBody(), 422, 'pt-BR');
    expect(pt).toMatchObject({ type: '/docs/conventions#problem-validation_failed', title: 'Requisição inválida', status: 422, detail: '2 de 3 itens foram recusados; os outros foram gravados.' });
    expect(pt.errors).toEqual([
      { pointer: '/items/0/priceCents', code: 'invalid_value', detail: 'deve ser um número inteiro' },
      { pointer: '/items/2/barcode', detail: 'is already used by p-7' },
    ]);
    expect(JSON.stringify(pt)).not.toContain('detailPt');
    const en = localiseProblem(problem.toBody(), 422, 'en');
    expect(en.detail).toBe('2 of 3 items were refused; the others were stored.');
    expect(en.errors![0]!.detail).toBe('must be an integer');
    expect(en.error).toEqual({ code: 'validation_failed', message: '2 of 3 items were refused; the others were stored.' });
  });

  it('API-01 a body in the older shape (only `error`) gains the RFC 9457 members', () => {
    const body = localiseProblem({ error: { code: 'forbidden', message: 'No.', field: '/x' } }, 403, 'en');
    expect(body).toEqual({ type: '/docs/conventions#problem-forbidden', title: 'Not allowed', status: 403, detail: 'No.', errors: [{ pointer: '/x', detail: 'No.' }], error: { code: 'forbidden', message: 'No.', field: '/x' } });
  });
});
