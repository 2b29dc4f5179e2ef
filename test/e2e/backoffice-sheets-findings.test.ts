import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WebHost } from '../../build/web-host.ts';
import { TEST_IDS } from '../../renderer/test-ids.ts';
import { waitForGone } from './support/station-ui.ts';
import { byId, choose, integrationCaller, openBackOffice, screenshotWidths, typedDay } from './support/backoffice-ui.ts';
import { dayOf, PERIODS } from '../server/support/periods.ts';
import { randomCpf } from './support/tax-ids.ts';
import { oneStation } from './support/one-station.ts';

/**
 * Issue 11, the breaker's smaller findings, end to end (a real server on PGlite, the built UI in
 * Chromium, `retaguarda`): a merged range in a customers sheet counts once; a consumption sheet names
 * contract and service in any case (the uniqueness rule's key); an implausible quantity is listed in
 * the dry run and asked again on the form; the back-office lists keep their last column whole at
 * 1280 × 800 and 1024 × 768 with a contract open (screenshots of every tab at both widths).
 */
const ids = TEST_IDS.backoffice;
const sheetIds = TEST_IDS.backoffice.sheets;
// Usage is dated in the month the tests run in, and that month is billed: the contract is activated by the
// real clock (test/server/support/periods.ts).
const { previous: PREV, current: CUR } = PERIODS;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function chooseFile(page: Page, bytes: Buffer): Promise<void> {
  await byId(page, sheetIds.open).click();
  await byId(page, sheetIds.file).setInputFiles({ name: 'planilha.xlsx', mimeType: XLSX_MIME, buffer: bytes });
  await byId(page, sheetIds.summary).waitFor({ timeout: 60_000 });
}

async function summary(page: Page): Promise<{ checked: number; writes: number; badRows: number }> {
  const alert = byId(page, sheetIds.summary);
  const attr = async (name: string) => Number(await alert.getAttribute(name));
  return { checked: await attr('data-checked'), writes: await attr('data-writes'), badRows: await attr('data-bad-rows') };
}

/**
 * What the lists on screen cut: a table or grid list whose last column ends beyond what its scrolling
 * box shows (cut, or only reachable by scrolling sideways), a badge or a key cell whose text is cut
 * short. [] when everything fits.
 */
function cutLists(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    const lists = [...document.querySelectorAll('table'), ...document.querySelectorAll('[data-list-header]')];
    for (const list of lists) {
      const last = list instanceof HTMLTableElement ? list.querySelector('thead tr')?.lastElementChild : list.lastElementChild;
      if (!last || (last as HTMLElement).offsetParent === null) continue;
      let box: HTMLElement | null = list.parentElement;
      while (box && !['auto', 'scroll', 'hidden'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
      const right = (box ?? document.documentElement).getBoundingClientRect().right;
      if (last.getBoundingClientRect().right > right + 1) cut.push(`${last.textContent ?? ''} (${Math.round(last.getBoundingClientRect().right)} > ${Math.round(right)})`);
    }
    // A badge whose text is cut short ("A…", "6 CLIENT…").
    for (const label of document.querySelectorAll<HTMLElement>('.mantine-Badge-label')) {
      if (label.offsetParent !== null && label.scrollWidth > label.clientWidth + 1) cut.push(`badge ${label.textContent ?? ''}`);
    }
    // A button or field pushed past the right edge of its tab.
    for (const panel of document.querySelectorAll<HTMLElement>('[role="tabpanel"]')) {
      if (panel.offsetParent === null) continue;
      const edge = panel.getBoundingClientRect().right;
      for (const control of panel.querySelectorAll<HTMLElement>('button, input')) {
        if (control.offsetParent !== null && control.getBoundingClientRect().right > edge + 1) cut.push(`control ${control.textContent || control.getAttribute('placeholder') || ''}`);
      }
    }
    // A cell cut with an ellipsis that holds a key (a CPF/CNPJ).
    for (const cell of document.querySelectorAll<HTMLElement>('[data-key-cell]')) {
      if (cell.scrollWidth > cell.clientWidth + 1) cut.push(`cell ${cell.textContent ?? ''}`);
    }
    return cut;
  });
}

describe('issue 11: the breaker\'s sheet, quantity and layout findings', () => {
  let ui: WebHost;
  let page: Page;
  const stamp = Date.now().toString(36).toUpperCase();
  const { server, api } = oneStation({ ready: (station) => void ({ ui, page } = station) });
  const call = integrationCaller(server, api);
  const service = { id: `svc-f-${stamp}`, code: `TEL-${stamp}` };
  const contract = { id: '', code: `CT-F-${stamp}` };

  it('BO-01 a customers sheet with a name merged across Nome and E-mail: the dry run reads the name once, no e-mail error', async () => {
    const customer = await call('POST', '/api/v1/billing/customers', { name: `Cliente Ana Maria de Albuquerque Cavalcanti ${stamp}`, taxId: randomCpf() });
    await api.put('backoffice', { id: service.id, kind: 'service', code: service.code, name: 'Telefonia', active: true, monthlyFeeCents: 4990, unit: 'min', unitPriceCents: 12, updatedAt: new Date().toISOString() });
    const created = await call('POST', '/api/v1/billing/contracts', { code: contract.code, customerId: customer.id, startDate: dayOf(PREV, 1), billingDay: 10, lines: [{ serviceId: service.id, quantity: 1 }] });
    contract.id = String(created.id);
    await call('POST', `/api/v1/billing/contracts/${contract.id}/activate`, {});
    await openBackOffice(page, { ui, server, navId: ids.nav });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clientes');
    sheet.addRow(['CPF/CNPJ', 'Nome', 'E-mail', 'Cidade']);
    sheet.addRow([randomCpf(), `Cliente Mesclado ${stamp}`, null, 'Recife']);
    sheet.mergeCells('B2:C2');
    await chooseFile(page, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(await summary(page)).toEqual({ checked: 1, writes: 1, badRows: 0 });
    await page.keyboard.press('Escape');
  });

  it('BO-04 a consumption sheet names contract and service in lower case, and 1,000,000,000 units are listed for a second look before importing', async () => {
    await byId(page, ids.tab.consumption).click();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Consumo');
    sheet.addRow(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade']);
    sheet.addRow([`F-${stamp}-1`, contract.code.toLowerCase(), ` ${service.code.toLowerCase()}`, typedDay(dayOf(CUR, 3)), 1_000_000_000]);
    sheet.addRow([`F-${stamp}-2`, contract.code, service.code, typedDay(dayOf(CUR, 4)), 120]);
    await chooseFile(page, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(await summary(page)).toEqual({ checked: 2, writes: 2, badRows: 0 });
    const warnings = byId(page, sheetIds.warningRow);
    expect(await warnings.evaluateAll((rows) => rows.map((row) => [Number(row.getAttribute('data-row')), row.getAttribute('data-column')]))).toEqual([[2, 'Quantidade']]);
    expect(await warnings.first().textContent()).toContain('R$ 120.000.000,00');
    // A warning does not block: the whole file may be imported.
    expect(await byId(page, sheetIds.importAll).isDisabled()).toBe(false);
    await screenshotWidths(page, 'bo-04-dry-run-implausible-quantity');
    await page.keyboard.press('Escape');
  });

  it('BO-04 the consumption form warns about 1,000,000,000 units and saves them only when the user saves again', async () => {
    const rows = byId(page, ids.consumption.row);
    const before = await rows.count();
    await byId(page, ids.consumption.add).click();
    await choose(page, ids.consumption.service, new RegExp(service.code));
    // Dated in the month billed below: the form's default, today in São Paulo, is still last month from 00:00 to 03:00 UTC on the 1st.
    await byId(page, ids.consumption.date).fill(typedDay(dayOf(CUR, 5)));
    await byId(page, ids.consumption.quantity).fill('1000000000');
    await byId(page, ids.consumption.save).click();
    await byId(page, ids.consumption.warning).waitFor();
    expect(await byId(page, ids.consumption.warning).textContent()).toContain('R$ 120.000.000,00');
    expect(await byId(page, ids.consumption.save).getAttribute('data-confirming')).toBe('true');
    expect(await rows.count()).toBe(before);
    await screenshotWidths(page, 'bo-04-form-implausible-quantity');
    // Another quantity withdraws the warning (a plain save again); typing the warned one back shows it again.
    await byId(page, ids.consumption.quantity).fill('100000000');
    expect(await byId(page, ids.consumption.warning).count()).toBe(0);
    expect(await byId(page, ids.consumption.save).getAttribute('data-confirming')).toBeNull();
    await byId(page, ids.consumption.quantity).fill('1000000000');
    await byId(page, ids.consumption.warning).waitFor();
    await byId(page, ids.consumption.save).click();
    await waitForGone(byId(page, ids.consumption.save));
    await expect.poll(() => rows.count()).toBe(before + 1);
  });

  it('BO-03 with a contract open at 1280 × 800 and 1024 × 768 the contract list shows its Situação column whole, and no back-office list is cut', async () => {
    await byId(page, ids.tab.contracts).click();
    await page.locator(`[data-testid="${ids.contracts.row}"][data-contract-id="${contract.id}"]`).click();
    for (const [width, height] of [[1280, 800], [1024, 768]] as const) {
      await page.setViewportSize({ width, height });
      const state = page.locator(`[data-testid="${ids.contracts.row}"][data-contract-id="${contract.id}"] td:last-child .mantine-Badge-root`);
      await state.waitFor();
      expect(await cutLists(page), `contracts at ${width}`).toEqual([]);
      expect(await state.textContent()).toBe('Ativo');
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshotWidths(page, 'bo-03-contract-open');
    // Receivables with an amount of nine digits (the 1,000,000,000 minutes above) and their status.
    await call('POST', '/api/v1/billing/billing-runs', { period: CUR });
    for (const tab of ['customers', 'services', 'consumption', 'receivables'] as const) {
      await byId(page, ids.tab[tab]).click();
      if (tab === 'receivables') {
        await byId(page, ids.receivables.refresh).click();
        await byId(page, ids.receivables.row).first().waitFor();
      }
      for (const [width, height] of [[1280, 800], [1024, 768]] as const) {
        await page.setViewportSize({ width, height });
        expect(await cutLists(page), `${tab} at ${width}`).toEqual([]);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await screenshotWidths(page, `bo-layout-${tab}`);
    }
  });
});
