import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { screenshot, waitForPending } from './support/station-ui.ts';
import { byId, integrationCaller, openBackOffice } from './support/backoffice-ui.ts';
import { randomCpf } from './support/tax-ids.ts';
import { oneStation } from './support/one-station.ts';
import { eventually } from './support/eventually.ts';

/**
 * Issue 11's acceptance 2, 3 and 4 (spreadsheets), end to end: a real server on PGlite, the built UI in
 * Chromium, the back-office user `retaguarda`; files are made and read with ExcelJS as Excel would.
 * The tests form one story and run in order.
 */

const ids = TEST_IDS.backoffice;
const sheetIds = TEST_IDS.backoffice.sheets;
type Cell = string | number | null;

async function xlsx(header: string[], rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Planilha');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function readXlsx(bytes: Buffer): Promise<Cell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: Cell[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as Cell[]).slice(1)));
  return rows;
}

/** Clicks a button that downloads a file and returns the file's bytes. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

/** Opens the import of the current tab and chooses a file; resolves when the dry run is on screen. */
async function chooseFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  if (!(await byId(page, sheetIds.file).count())) await byId(page, sheetIds.open).click();
  await byId(page, sheetIds.file).setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bytes });
  await byId(page, sheetIds.summary).waitFor({ timeout: 60_000 });
}

async function summary(page: Page): Promise<{ checked: number; writes: number; badRows: number; unchanged: number }> {
  const alert = byId(page, sheetIds.summary);
  const attr = async (name: string) => Number(await alert.getAttribute(name));
  return { checked: await attr('data-checked'), writes: await attr('data-writes'), badRows: await attr('data-bad-rows'), unchanged: await attr('data-unchanged') };
}

describe('issue 11: back office spreadsheets acceptance', () => {
  let ui: WebHost;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const { server, api } = oneStation({ ready: (station) => void ({ ui, page } = station) });

  const call = integrationCaller(server, api);
  const serverCustomers = async () => (await api.listAll('customers')).filter((doc) => !doc._deleted);

  it('BO-01 a 1,000-row customers .xlsx with a bad CPF, a missing name and a repeated CPF: the dry run names exactly those rows and writes nothing; fixed, all 1,000 are imported', async () => {
    await openBackOffice(page, { ui, server, navId: ids.nav });
    const before = (await serverCustomers()).length;
    // The customers tab's badge: "N clientes" on this device.
    const deviceCount = async () => Number((await page.getByText(/^\d+ clientes$/).first().textContent())!.split(' ')[0]);
    const deviceBefore = await deviceCount();

    // People's headers, not the template's: case, accents and spacing differ.
    const header = ['cpf/cnpj', 'NOME', 'e-mail', 'telefone', 'Cep', 'uf', 'cidade', 'endereco'];
    const rows: Cell[][] = Array.from({ length: 1000 }, (_, index) => [randomCpf(), `Cliente Planilha ${stamp} ${index + 1}`, `cliente${index + 1}@exemplo.com.br`, '11987654321', '01310100', 'SP', 'São Paulo', `Rua ${index + 1}`]);
    // Spreadsheet rows are data index + 2 (the header is row 1).
    const badCpfRow = 101;
    const noNameRow = 502;
    const repeatedRow = 903;
    const fixed = rows.map((row) => [...row]);
    rows[badCpfRow - 2]![0] = '123.456.789-00';
    rows[noNameRow - 2]![1] = '';
    rows[repeatedRow - 2]![0] = rows[10]![0]!;
    await chooseFile(page, 'clientes.xlsx', await xlsx(header, rows));

    const errors = await byId(page, sheetIds.errorRow).evaluateAll((list) => list.map((row) => [Number(row.getAttribute('data-row')), row.getAttribute('data-column')]));
    expect(errors).toEqual([[badCpfRow, 'CPF/CNPJ'], [noNameRow, 'Nome'], [repeatedRow, 'CPF/CNPJ']]);
    expect(await byId(page, sheetIds.errorRow).nth(2).textContent()).toContain('linha 12');
    expect(await summary(page)).toEqual({ checked: 1000, writes: 997, badRows: 3, unchanged: 0 });
    expect(await byId(page, sheetIds.importAll).isDisabled()).toBe(true);
    await screenshot(page, 'bo-01-import-dry-run-1280');
    // The dry run wrote nothing: not on the device, not on the server.
    await page.keyboard.press('Escape');
    expect(await deviceCount()).toBe(deviceBefore);
    expect((await serverCustomers()).length).toBe(before);

    await chooseFile(page, 'clientes-corrigido.xlsx', await xlsx(header, fixed));
    expect(await summary(page)).toEqual({ checked: 1000, writes: 1000, badRows: 0, unchanged: 0 });
    await byId(page, sheetIds.importAll).click();
    await byId(page, sheetIds.done).waitFor({ timeout: 60_000 });
    expect(Number(await byId(page, sheetIds.done).getAttribute('data-written'))).toBe(1000);
    await page.keyboard.press('Escape');
    await expect.poll(deviceCount).toBe(deviceBefore + 1000);
    await waitForPending(page, (count) => count === 0, 120_000);
    const imported = await eventually(async () => {
      const found = (await serverCustomers()).filter((doc) => String(doc.name).startsWith(`Cliente Planilha ${stamp} `));
      return found.length >= 1000 ? found : null;
    }, '1,000 imported customers on the server', 120_000);
    expect(imported).toHaveLength(1000);
    expect(new Set(imported.map((doc) => doc.taxId))).toEqual(new Set(fixed.map((row) => row[0])));
    expect(imported.find((doc) => doc.name === `Cliente Planilha ${stamp} 1`)).toMatchObject({ email: 'cliente1@exemplo.com.br', phone: '11987654321', cep: '01310100', uf: 'SP', active: true });
    expect((await serverCustomers()).length).toBe(before + 1000);
  });

  const contract = { id: '', code: `CT-PL-${stamp}` };
  const service = { id: `svc-pl-${stamp}`, code: `MIN-${stamp}` };

  it('BO-04 consumption of a period exported to .xlsx, two quantities changed, re-imported: two records changed, none added', async () => {
    const customer = await call('POST', '/api/v1/billing/customers', { name: `Cliente Consumo ${stamp}`, taxId: randomCpf() });
    await api.put('backoffice', { id: service.id, kind: 'service', code: service.code, name: 'Minutos', active: true, monthlyFeeCents: 1990, unit: 'min', unitPriceCents: 7, updatedAt: new Date().toISOString() });
    const created = await call('POST', '/api/v1/billing/contracts', { code: contract.code, customerId: customer.id, startDate: '2026-09-01', billingDay: 10, lines: [{ serviceId: service.id, quantity: 1 }] });
    contract.id = String(created.id);
    await call('POST', `/api/v1/billing/contracts/${contract.id}/activate`, {});
    for (const [index, quantity] of [100, 200, 300, 400].entries()) {
      await call('POST', '/api/v1/billing/consumption', { externalId: `EXT-${stamp}-${index}`, contractId: contract.id, serviceId: service.id, quantity, date: `2026-10-0${index + 1}` });
    }
    // One record of another month: the export of October leaves it out.
    await call('POST', '/api/v1/billing/consumption', { externalId: `EXT-${stamp}-9`, contractId: contract.id, serviceId: service.id, quantity: 9, date: '2026-11-03' });

    await byId(page, ids.tab.consumption).click();
    await expect.poll(() => byId(page, ids.consumption.row).count(), { timeout: 60_000 }).toBe(5);
    await byId(page, sheetIds.exportPeriod).click();
    await page.getByRole('option', { name: /out/i }).first().click();
    const exported = await download(page, () => byId(page, sheetIds.export).click());
    expect(exported.name).toBe('consumo-2026-10.xlsx');
    const table = await readXlsx(exported.bytes);
    expect(table[0]).toEqual(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade', 'Descrição']);
    expect(table.slice(1).map((row) => [row[0], row[1], row[2], row[3], row[4]])).toEqual([100, 200, 300, 400].map((quantity, index) => [`EXT-${stamp}-${index}`, contract.code, service.code, `0${index + 1}/10/2026`, quantity]));

    const edited = table.slice(1).map((row) => [...row]);
    edited[1]![4] = 250;
    edited[3]![4] = 410;
    const before = (await api.listAll('consumption')).filter((doc) => doc.contractId === contract.id && !doc._deleted);
    await chooseFile(page, 'consumo-editado.xlsx', await xlsx(table[0] as string[], edited));
    expect(await summary(page)).toEqual({ checked: 4, writes: 2, badRows: 0, unchanged: 2 });
    await byId(page, sheetIds.importAll).click();
    await byId(page, sheetIds.done).waitFor();
    await page.keyboard.press('Escape');
    await waitForPending(page, (count) => count === 0, 60_000);

    const after = await eventually(async () => {
      const found = (await api.listAll('consumption')).filter((doc) => doc.contractId === contract.id && !doc._deleted);
      return found.some((doc) => doc.quantity === 410) && found.some((doc) => doc.quantity === 250) ? found : null;
    }, 'the two changed quantities on the server', 60_000);
    expect(after.map((doc) => doc.id).sort()).toEqual(before.map((doc) => doc.id).sort());
    const changed = after.filter((doc) => before.find((old) => old.id === doc.id)!.quantity !== doc.quantity);
    expect(changed.map((doc) => [doc.externalId, doc.quantity]).sort()).toEqual([[`EXT-${stamp}-1`, 250], [`EXT-${stamp}-3`, 410]]);
  });

  it('BO-04 a file made by people: an .xls gets a clear message, an unknown column is mapped by the user and remembered, and only the good rows are imported on request with an error file of the bad ones', async () => {
    await byId(page, sheetIds.open).click();
    await byId(page, sheetIds.file).setInputFiles({ name: 'antigo.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]) });
    await byId(page, sheetIds.failure).waitFor();
    expect(await byId(page, sheetIds.failure).textContent()).toMatch(/Excel antigo \(\.xls\).*\.xlsx/);

    const header = ['ID externo', 'Contrato', 'Serviço', 'Data', 'Qtde consumida', 'Descrição'];
    const file = await xlsx(header, [
      [`NOV-${stamp}-1`, contract.code, service.code, '10/11/2026', 5, 'boa'],
      [`NOV-${stamp}-2`, 'CT-NAO-EXISTE', service.code, '11/11/2026', 6, 'contrato errado'],
      [`NOV-${stamp}-3`, contract.code, service.code, '12/11/2026', 7, 'boa'],
    ]);
    await byId(page, sheetIds.file).setInputFiles({ name: 'consumo-novembro.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await byId(page, sheetIds.mapping).waitFor();
    expect(await byId(page, sheetIds.summary).count()).toBe(0);
    await page.locator('[data-header="Qtde consumida"]').click();
    await page.getByRole('option', { name: 'Quantidade' }).click();
    await byId(page, sheetIds.summary).waitFor();
    expect(await summary(page)).toEqual({ checked: 3, writes: 2, badRows: 1, unchanged: 0 });
    expect(await byId(page, sheetIds.errorRow).evaluateAll((list) => list.map((row) => [Number(row.getAttribute('data-row')), row.getAttribute('data-column')]))).toEqual([[3, 'Contrato']]);
    await byId(page, sheetIds.importGood).click();
    await byId(page, sheetIds.done).waitFor();
    const errors = await download(page, () => byId(page, sheetIds.errorFile).click());
    const table = await readXlsx(errors.bytes);
    expect(table[0]).toEqual([...header, 'erros']);
    expect(table.slice(1).map((row) => [row[0], row[1], String(row[6])])).toEqual([[`NOV-${stamp}-2`, 'CT-NAO-EXISTE', 'Contrato: contrato CT-NAO-EXISTE não encontrado']]);
    await page.keyboard.press('Escape');

    // The mapping is remembered: the same file again goes straight to the dry run; the imported rows are unchanged now.
    await chooseFile(page, 'consumo-novembro.xlsx', file);
    expect(await byId(page, sheetIds.mapping).count()).toBe(0);
    expect(await summary(page)).toEqual({ checked: 3, writes: 0, badRows: 1, unchanged: 2 });
    await page.keyboard.press('Escape');
    const novembers = await eventually(async () => {
      const found = (await api.listAll('consumption')).filter((doc) => String(doc.externalId).startsWith(`NOV-${stamp}-`) && !doc._deleted);
      return found.length === 2 ? found : null;
    }, 'the two good November rows on the server', 60_000);
    expect(novembers.map((doc) => doc.quantity).sort()).toEqual([5, 7]);
    await waitForPending(page, (count) => count === 0, 60_000);
  });

  it('BO-05 a billing run shows its receivables on screen; the downloaded .xlsx and the API give the same rows and total to the cent; a second run adds nothing', async () => {
    const run = await call('POST', '/api/v1/billing/billing-runs', { period: '2026-10' });
    expect(run.created).toBe(1);
    expect((await call('POST', '/api/v1/billing/billing-runs', { period: '2026-10' })).created).toBe(0);
    const list = (await call('GET', '/api/v1/billing/receivables?period=2026-10')) as { receivables: { id: string; amountCents: number }[]; totals: { amountCents: number } };
    // (100 + 250 + 300 + 410) min × 0,07; no monthly fee: the contract was activated (today) after October's end.
    expect(list.totals.amountCents).toBe(1060 * 7);

    await byId(page, ids.tab.receivables).click();
    await byId(page, ids.receivables.refresh).click();
    await byId(page, ids.receivables.row).first().waitFor({ timeout: 30_000 });
    await byId(page, ids.receivables.period).click();
    await page.getByRole('option', { name: /out/i }).first().click();
    await expect.poll(async () => Number(await byId(page, ids.receivables.total).getAttribute('data-cents'))).toBe(list.totals.amountCents);
    const file = await download(page, () => byId(page, ids.receivables.download).click());
    expect(file.name).toBe('contas-a-receber-2026-10.xlsx');
    const table = await readXlsx(file.bytes);
    expect(table[0]).toEqual(['ID', 'Cliente', 'CPF/CNPJ', 'Contrato', 'Período', 'Vencimento', 'Valor (R$)', 'Situação']);
    const body = table.slice(1, -1);
    const totalRow = table.at(-1)!;
    expect(body.map((row) => [row[0], Math.round(Number(row[6]) * 100)]).sort()).toEqual(list.receivables.map((r) => [r.id, r.amountCents]).sort());
    expect(body.map((row) => row[3])).toEqual([contract.code]);
    expect(totalRow[0]).toBe('Total');
    expect(Math.round(Number(totalRow[6]) * 100)).toBe(list.totals.amountCents);
    await screenshot(page, 'bo-05-receivables-download-1280');
  });
});
