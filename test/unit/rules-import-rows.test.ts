import { describe, expect, it } from 'vitest';
import { checkConsumptionRows, checkCustomerRows, CONSUMPTION_COLUMNS, CUSTOMER_COLUMNS, matchHeaders, normalizeHeader, parseCsv, parseDay, parseQuantity, withCpfCheckDigits } from '../../sync/rules/index.ts';

const cpfOf = (n: number) => withCpfCheckDigits(String(100_000_000 + n).slice(-9));

describe('spreadsheet import rules (BO-01, BO-04)', () => {
  it('BO-01 headers made by people match ignoring case, accents and spacing; unknown ones are offered for mapping, and a mapping is remembered', () => {
    expect(normalizeHeader('  Razão   Social ')).toBe('razaosocial');
    const match = matchHeaders(['cpf / cnpj', 'RAZAO SOCIAL', 'e mail', 'Fone', 'Apelido'], CUSTOMER_COLUMNS);
    expect(match).toEqual({ mapping: { taxId: 0, name: 1, email: 2, phone: 3 }, unmatched: ['Apelido'], missing: [] });
    expect(matchHeaders(['Documento do cliente', 'Nome'], CUSTOMER_COLUMNS).missing).toEqual(['CPF/CNPJ']);
    expect(matchHeaders(['Documento do cliente', 'Nome'], CUSTOMER_COLUMNS, { documentodocliente: 'taxId' }).mapping).toEqual({ taxId: 0, name: 1 });
  });

  it('BO-01 a 1,000-row customers file with a bad CPF, a missing name and a repeated key: the dry run names exactly those rows', () => {
    const rows = Array.from({ length: 1000 }, (_, n) => [cpfOf(n + 1), `Cliente ${n + 1}`, '', '(11) 98765-4321', '01310-100', 'sp']);
    rows[9]![0] = '52998224724'; // row 11: wrong check digit
    rows[499]![1] = ' '; // row 501: no name
    rows[899]![0] = rows[0]![0]!; // row 901: the key of row 2
    const { mapping } = matchHeaders(['CPF/CNPJ', 'Nome', 'E-mail', 'Telefone', 'CEP', 'UF'], CUSTOMER_COLUMNS);
    const checked = checkCustomerRows(rows, mapping);
    expect(checked.errors).toEqual([
      { row: 11, column: 'CPF/CNPJ', reason: 'CPF/CNPJ inválido: 52998224724', reasonEn: 'invalid CPF/CNPJ: 52998224724' },
      { row: 501, column: 'Nome', reason: 'obrigatório', reasonEn: 'required' },
      { row: 901, column: 'CPF/CNPJ', reason: 'repetido (já na linha 2)', reasonEn: 'repeated (already on row 2)' },
    ]);
    expect(checked.records).toHaveLength(997);
    expect(checked.records[0]!.record).toEqual({ taxId: cpfOf(1), name: 'Cliente 1', phone: '11987654321', cep: '01310100', uf: 'SP' });
  });

  it('BO-04 consumption rows: Brazilian dates, whole quantities, known contract and contracted service, no repeated external id', () => {
    const lookup = {
      contract: (code: string) => (code === 'C-1' ? { id: 'ct-1', serviceIds: ['s-min'] } : undefined),
      service: (code: string) => ({ MIN: { id: 's-min' }, FEE: { id: 's-fee' } })[code],
    };
    const { mapping } = matchHeaders(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade'], CONSUMPTION_COLUMNS);
    const checked = checkConsumptionRows(
      [
        ['E1', 'C-1', 'MIN', '15/11/2026', '1.234'],
        ['E2', 'C-9', 'FEE', '31/02/2026', '1,5'],
        ['E1', 'C-1', 'FEE', '2026-11-16', '3'],
      ],
      mapping,
      lookup,
    );
    expect(checked.records).toEqual([{ row: 2, record: { externalId: 'E1', contractId: 'ct-1', serviceId: 's-min', date: '2026-11-15', quantity: 1234 } }]);
    expect(checked.errors.map((error) => [error.row, error.column])).toEqual([[3, 'Contrato'], [3, 'Data'], [3, 'Quantidade'], [4, 'ID externo'], [4, 'Serviço']]);
    expect(parseDay('1/2/2026')).toBe('2026-02-01');
    expect(parseQuantity('-20')).toBe(-20);
    expect(parseQuantity('12,0')).toBeNull();
  });

  it('BO-01 a .csv as Excel saves it in Brazil (semicolons, Windows-1252) reads like a Unicode file', () => {
    const latin1 = Uint8Array.from([...'Nome;Endere\xe7o\r\n"Jo\xe3o; Filho";"Rua \xc1gua, 1"\r\n'].map((char) => char.charCodeAt(0)));
    expect(parseCsv(latin1)).toEqual([['Nome', 'Endereço'], ['João; Filho', 'Rua Água, 1']]);
    const utf8 = new TextEncoder().encode('\uFEFFNome,Cidade\n"Ana ""A""",São Paulo\n');
    expect(parseCsv(utf8)).toEqual([['Nome', 'Cidade'], ['Ana "A"', 'São Paulo']]);
  });
});
