import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellText, restoreTaxIdZeros, withCpfCheckDigits } from '../../sync/rules/index.ts';
import { readSheet, SheetFileError, writeSheet } from '../../renderer/core/backoffice/sheets/sheet-file.ts';
import { consumptionSheet, errorSheet, receivablesSheet, templateSheet } from '../../renderer/core/backoffice/sheets/imports.ts';

/** The device's spreadsheet files (issue 11 "Spreadsheets"): the code the sheet worker runs, here in Node. */
describe('device spreadsheet files (BO-01, BO-04, BO-05)', () => {
  it('BO-01 an old .xls is refused with a message that asks for .xlsx or .csv', async () => {
    const ole2 = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(readSheet(ole2, 'clientes.xls')).rejects.toMatchObject({ code: 'xls', message: expect.stringMatching(/\.xlsx.*\.csv/) });
    await expect(readSheet(new TextEncoder().encode('a;b'), 'notas.pdf')).rejects.toBeInstanceOf(SheetFileError);
  });

  it('BO-04 a .csv as Excel saves it in Brazil (;, Windows-1252) reads as the same text as a Unicode file', async () => {
    const text = 'ID externo;Contrato;Serviço;Data;Quantidade;Descrição\r\nA1;CT-1;MIN;03/11/2026;1.234;Ligações à tarde\r\n';
    // Windows-1252 for these characters = Latin-1.
    const cp1252 = Uint8Array.from([...text].map((char) => char.charCodeAt(0)));
    const utf8 = new TextEncoder().encode(`\uFEFF${text}`);
    const fromCp1252 = await readSheet(cp1252, 'consumo.csv');
    expect(fromCp1252).toEqual(await readSheet(utf8, 'consumo.csv'));
    expect(fromCp1252.header).toEqual(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade', 'Descrição']);
    expect(fromCp1252.rows[0]).toEqual(['A1', 'CT-1', 'MIN', '03/11/2026', '1.234', 'Ligações à tarde']);
  });

  it('BO-04 an .xlsx keeps row numbers (a blank row stays), dates become DD/MM/AAAA and numbers plain text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('x');
    sheet.addRow(['ID externo', 'Data', 'Quantidade']);
    sheet.addRow(['A', new Date(Date.UTC(2026, 10, 3)), 120]);
    sheet.getRow(4).values = ['C', '05/11/2026', { formula: '2+3', result: 5 } as unknown as ExcelJS.CellValue];
    const read = await readSheet(new Uint8Array(await workbook.xlsx.writeBuffer()), 'c.xlsx');
    expect(read.rows).toEqual([['A', '03/11/2026', '120'], [], ['C', '05/11/2026', '5']]);
  });

  it('BO-01 a CPF typed into a number cell gets its leading zeros back', () => {
    const cpf = withCpfCheckDigits('012345678');
    expect(restoreTaxIdZeros(cellText(Number(cpf)))).toBe(cpf);
    expect(restoreTaxIdZeros('123.456.789-09')).toBe('123.456.789-09');
    expect(cellText({ richText: [{ text: 'Ana ' }, { text: 'Lima' }] })).toBe('Ana Lima');
  });

  it('BO-04 the export is the template re-importable as it is, and the error file repeats the bad rows with an "erros" column', async () => {
    expect(templateSheet('consumption').header).toEqual(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade', 'Descrição']);
    const exported = consumptionSheet(
      [
        { id: 'r1', externalId: 'E1', contractId: 'c1', serviceId: 's1', date: '2026-10-03', quantity: 7, updatedAt: '' },
        { id: 'r2', externalId: 'E2', contractId: 'c1', serviceId: 's1', date: '2026-11-03', quantity: 8, updatedAt: '' },
      ],
      [{ id: 'c1', kind: 'contract', code: 'CT-1', updatedAt: '' }],
      [{ id: 's1', kind: 'service', code: 'MIN', updatedAt: '' }],
      '2026-10',
    );
    expect(exported.rows).toEqual([['E1', 'CT-1', 'MIN', '03/10/2026', 7, '']]);
    const back = await readSheet(await writeSheet(exported), 'consumo.xlsx');
    expect(back).toEqual({ header: exported.header, rows: [['E1', 'CT-1', 'MIN', '03/10/2026', '7', '']] });

    const file = { header: ['CPF', 'Nome'], rows: [['1', 'A'], ['2', ''], ['3', 'C']] };
    const bad = [{ row: 3, column: 'Nome', reason: 'obrigatório', reasonEn: 'required' }, { row: 3, column: 'CPF/CNPJ', reason: 'inválido', reasonEn: 'invalid' }];
    const errors = errorSheet('customers', file, bad);
    expect(errors.header).toEqual(['CPF', 'Nome', 'erros']);
    expect(errors.rows).toEqual([['2', '', 'Nome: obrigatório; CPF/CNPJ: inválido']]);
    // The error file is written in the user's language.
    expect(errorSheet('customers', file, bad, 'en').rows).toEqual([['2', '', 'Nome: required; CPF/CNPJ: invalid']]);
  });

  it('BO-05 the receivables download has one row each and a total equal to the sum of the cents', () => {
    const sheet = receivablesSheet(
      [
        { id: 'r1', customerId: 'k', contractId: 'c', period: '2026-10', dueDate: '2026-11-10', amountCents: 10, status: 'open' },
        { id: 'r2', customerId: 'k', contractId: 'c', period: '2026-10', dueDate: '2026-11-10', amountCents: 20, status: 'paid' },
      ],
      { customer: () => ({ name: 'Ana', taxId: '1' }), contract: () => 'CT', status: (s) => s },
    );
    expect(sheet.rows.map((row) => row[6])).toEqual([0.1, 0.2, 0.3]);
    expect(Math.round(Number(sheet.rows.at(-1)![6]) * 100)).toBe(30);
  });
});
