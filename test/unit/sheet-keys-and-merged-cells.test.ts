import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkConsumptionRows, CONSUMPTION_COLUMNS, externalIdProblem, keyIndex, keyTaken, matchHeaders, recordKey, withCpfCheckDigits } from '../../sync/rules/index.ts';
import { readSheet } from '../../renderer/core/backoffice/sheets/sheet-file.ts';
import { readXlsxUpload } from '../../sync/server/http/xlsx-upload.ts';

/** Issue 11 (breaker): sheet keys follow the uniqueness rules' normalization; merged cells count once. */
describe('spreadsheet keys and merged cells (BO-01, BO-04)', () => {
  it('BO-02 BO-04 one key per record: codes ignore case and surrounding spaces, external ids only the spaces, CPF/CNPJ its punctuation', () => {
    expect(recordKey('code', ' tel ')).toBe('TEL');
    expect(recordKey('code', 'Tel')).toBe(recordKey('code', 'TEL'));
    expect(recordKey('code', 'Ct-1')).not.toBe(recordKey('code', 'CT-2'));
    expect(recordKey('externalId', ' a1\t')).toBe('a1');
    expect(recordKey('externalId', 'a1')).not.toBe(recordKey('externalId', 'A1'));
    const cpf = withCpfCheckDigits('529982247');
    expect(recordKey('taxId', `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`)).toBe(cpf);
    expect(recordKey('taxId', '123')).toBe('');
    expect(keyTaken('code', 'tel ', ['MIN', 'TEL'])).toBe(true);
    expect(keyTaken('code', 'gb', ['MIN', 'TEL'])).toBe(false);
    expect(externalIdProblem('E-1')).toBeNull();
    expect(externalIdProblem(' E-1')).toMatch(/begins or ends with a space/);
  });

  it('BO-04 a consumption sheet names contract and service in any case, as the server\'s uniqueness compares codes', () => {
    const contract = keyIndex('code', [{ id: 'c1', code: 'CT-0001', serviceIds: ['s1'] }], (c) => c.code);
    const service = keyIndex('code', [{ id: 's1', code: 'TEL' }], (s) => s.code);
    const header = CONSUMPTION_COLUMNS.map((column) => column.header);
    const { mapping } = matchHeaders(header, CONSUMPTION_COLUMNS);
    const checked = checkConsumptionRows([['E1', 'ct-0001', 'tel', '03/11/2026', '5', ''], ['E2', 'CT-0002', 'Tel', '03/11/2026', '5', '']], mapping, { contract, service });
    expect(checked.records).toEqual([{ row: 2, record: { externalId: 'E1', contractId: 'c1', serviceId: 's1', date: '2026-11-03', quantity: 5 } }]);
    expect(checked.errors).toEqual([expect.objectContaining({ row: 3, column: 'Contrato' })]);
  });

  it('BO-01 a merged range counts in its first cell only, across columns and down rows, on the device and in the API upload alike', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clientes');
    sheet.addRow(['CPF/CNPJ', 'Nome', 'E-mail', 'Cidade']);
    sheet.addRow(['52998224725', 'Ana Lima', null, 'Recife']);
    sheet.addRow(['11144477735', 'Bruno Dias', 'bruno@exemplo.com.br', 'Olinda']);
    sheet.addRow(['39053344705', 'Carla Reis', 'carla@exemplo.com.br', null]);
    sheet.mergeCells('B2:C2'); // a name spread over Nome and E-mail
    sheet.mergeCells('D3:D4'); // one city for two rows
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const device = await readSheet(bytes, 'clientes.xlsx');
    expect(device.rows).toEqual([
      ['52998224725', 'Ana Lima', '', 'Recife'],
      ['11144477735', 'Bruno Dias', 'bruno@exemplo.com.br', 'Olinda'],
      ['39053344705', 'Carla Reis', 'carla@exemplo.com.br', ''],
    ]);
    expect(await readXlsxUpload(Buffer.from(bytes))).toEqual(device);
  });
});
