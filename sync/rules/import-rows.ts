import type { BrazilUf } from '../schema/index.ts';
import { isCalendarDate } from './consumption.ts';
import { normalizeCep, normalizeEmail, normalizePhone, normalizeUf } from './contact.ts';
import { canonicalTaxId } from './tax-id.ts';

/**
 * Spreadsheet import rules (BO-01 customers upload, BO-04 consumption import), independent of the file
 * reader (ExcelJS for .xlsx, `parseCsv` for .csv): match the header row to the template's columns,
 * check every row and name each bad cell by its spreadsheet row number (the header is row 1), column and
 * reason — a dry run that writes nothing. Keys (CPF/CNPJ for customers, external id for consumption)
 * repeat neither inside the file nor as a new record: a key already known updates that record.
 *
 * Headers made by people are matched ignoring case, accents, spacing and punctuation, against the
 * template header and its aliases; a column that still does not match is mapped by the user
 * (`remembered`, kept by the device between imports).
 */
export interface ColumnSpec {
  key: string;
  /** The template's header (pt-BR), documented in the README. */
  header: string;
  aliases: readonly string[];
  required: boolean;
}

export const CUSTOMER_COLUMNS: readonly ColumnSpec[] = [
  { key: 'taxId', header: 'CPF/CNPJ', aliases: ['cpf', 'cnpj', 'documento', 'cpf cnpj'], required: true },
  { key: 'name', header: 'Nome', aliases: ['razão social', 'cliente', 'nome completo'], required: true },
  { key: 'email', header: 'E-mail', aliases: ['email', 'correio eletrônico'], required: false },
  { key: 'phone', header: 'Telefone', aliases: ['fone', 'celular', 'tel'], required: false },
  { key: 'cep', header: 'CEP', aliases: ['código postal'], required: false },
  { key: 'uf', header: 'UF', aliases: ['estado'], required: false },
  { key: 'city', header: 'Cidade', aliases: ['município', 'municipio'], required: false },
  { key: 'address', header: 'Endereço', aliases: ['logradouro', 'endereco'], required: false },
];

export const CONSUMPTION_COLUMNS: readonly ColumnSpec[] = [
  { key: 'externalId', header: 'ID externo', aliases: ['id', 'identificador', 'chave'], required: true },
  { key: 'contract', header: 'Contrato', aliases: ['número do contrato', 'contrato nº'], required: true },
  { key: 'service', header: 'Serviço', aliases: ['código do serviço', 'servico'], required: true },
  { key: 'date', header: 'Data', aliases: ['data de uso', 'dia'], required: true },
  { key: 'quantity', header: 'Quantidade', aliases: ['qtd', 'qtde', 'consumo'], required: true },
  { key: 'description', header: 'Descrição', aliases: ['descricao', 'observação'], required: false },
];

/** "  Razão   Social " → "razaosocial": case, accents, spacing and punctuation do not count. */
export function normalizeHeader(header: string): string {
  return header.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface HeaderMatch {
  /** Column key → index in the row. */
  mapping: Record<string, number>;
  /** Headers of the file that match no column (offer them to the user to map). */
  unmatched: string[];
  /** Required columns the file lacks (the import cannot run until the user maps them). */
  missing: string[];
}

export function matchHeaders(headers: readonly string[], columns: readonly ColumnSpec[], remembered: Readonly<Record<string, string>> = {}): HeaderMatch {
  const mapping: Record<string, number> = {};
  const unmatched: string[] = [];
  headers.forEach((header, index) => {
    const normal = normalizeHeader(header);
    if (normal === '') return;
    const byUser = remembered[normal];
    const column = columns.find((spec) => spec.key === byUser) ?? columns.find((spec) => [spec.header, ...spec.aliases].some((name) => normalizeHeader(name) === normal));
    if (column && mapping[column.key] === undefined) mapping[column.key] = index;
    else unmatched.push(header);
  });
  return { mapping, unmatched, missing: columns.filter((spec) => spec.required && mapping[spec.key] === undefined).map((spec) => spec.header) };
}

export interface RowError {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  /** The template header of the column. */
  column: string;
  /** Why, in pt-BR (the app's default language; also the error file's "erros" column). */
  reason: string;
  /** Why, in English (rowErrorText picks by the user's language). */
  reasonEn: string;
}

/** The reason of a bad row in the user's language (pt-BR unless the locale is another language). */
export function rowErrorText(error: RowError, locale: string): string {
  return locale.toLowerCase().startsWith('pt') ? error.reason : error.reasonEn;
}

export interface CheckedRows<T> {
  records: { row: number; record: T }[];
  errors: RowError[];
}

const cell = (row: readonly string[], mapping: Record<string, number>, key: string) => (mapping[key] === undefined ? '' : (row[mapping[key]!] ?? '').trim());

export interface CustomerRow {
  taxId: string;
  name: string;
  email?: string;
  phone?: string;
  cep?: string;
  uf?: BrazilUf;
  city?: string;
  address?: string;
}

/** Customers upload (BO-01): every bad cell of every row; a CPF/CNPJ twice in the file is an error on the later row. */
export function checkCustomerRows(rows: readonly (readonly string[])[], mapping: Record<string, number>): CheckedRows<CustomerRow> {
  const errors: RowError[] = [];
  const records: { row: number; record: CustomerRow }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((values, index) => {
    const row = index + 2;
    if (values.every((value) => value.trim() === '')) return;
    const bad = (column: string, reason: string, reasonEn: string) => errors.push({ row, column, reason, reasonEn });
    const before = errors.length;
    const rawTaxId = restoreTaxIdZeros(cell(values, mapping, 'taxId'));
    const taxId = canonicalTaxId(rawTaxId);
    if (!rawTaxId) bad('CPF/CNPJ', 'obrigatório', 'required');
    else if (!taxId) bad('CPF/CNPJ', `CPF/CNPJ inválido: ${rawTaxId}`, `invalid CPF/CNPJ: ${rawTaxId}`);
    else if (seen.has(taxId)) bad('CPF/CNPJ', `repetido (já na linha ${seen.get(taxId)})`, `repeated (already on row ${seen.get(taxId)})`);
    const name = cell(values, mapping, 'name');
    if (!name) bad('Nome', 'obrigatório', 'required');
    else if (name.length > 200) bad('Nome', 'mais de 200 caracteres', 'more than 200 characters');
    const optional = <T>(key: string, column: string, normalize: (value: string) => T | null, what: string, whatEn: string): T | undefined => {
      const value = cell(values, mapping, key);
      if (!value) return undefined;
      const normal = normalize(value);
      if (normal === null) bad(column, `${what} inválido: ${value}`, `invalid ${whatEn}: ${value}`);
      return normal ?? undefined;
    };
    const email = optional('email', 'E-mail', normalizeEmail, 'e-mail', 'e-mail');
    const phone = optional('phone', 'Telefone', normalizePhone, 'telefone', 'phone');
    const cep = optional('cep', 'CEP', normalizeCep, 'CEP', 'CEP');
    const uf = optional('uf', 'UF', normalizeUf, 'UF', 'UF');
    const city = cell(values, mapping, 'city').slice(0, 100);
    const address = cell(values, mapping, 'address').slice(0, 200);
    if (taxId && !seen.has(taxId)) seen.set(taxId, row);
    if (errors.length > before || !taxId) return;
    records.push({ row, record: { taxId, name, ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(cep ? { cep } : {}), ...(uf ? { uf } : {}), ...(city ? { city } : {}), ...(address ? { address } : {}) } });
  });
  return { records, errors };
}

/** "15/11/2026" or "2026-11-15" → "2026-11-15"; null when not a real day. */
export function parseDay(value: string): string | null {
  const brazilian = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const day = brazilian ? `${brazilian[3]}-${brazilian[2]!.padStart(2, '0')}-${brazilian[1]!.padStart(2, '0')}` : value;
  return isCalendarDate(day) ? day : null;
}

/** "1.234" or "1234" → 1234; a decimal ("1,5") is refused: quantities are whole numbers of the unit's smallest step. */
export function parseQuantity(value: string): number | null {
  const plain = value.replace(/\.(?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+$/.test(plain)) return null;
  const quantity = Number(plain);
  return Number.isSafeInteger(quantity) && Math.abs(quantity) <= 1_000_000_000 ? quantity : null;
}

export interface ConsumptionRow {
  externalId: string;
  contractId: string;
  serviceId: string;
  date: string;
  quantity: number;
  description?: string;
}

export interface ConsumptionLookup {
  /** Contract by its code (number). */
  contract(code: string): { id: string; serviceIds: readonly string[] } | undefined;
  /** Service by its code. */
  service(code: string): { id: string } | undefined;
}

/** Consumption import (BO-04): every bad cell of every row; an external id twice in the file is an error on the later row. */
export function checkConsumptionRows(rows: readonly (readonly string[])[], mapping: Record<string, number>, lookup: ConsumptionLookup): CheckedRows<ConsumptionRow> {
  const errors: RowError[] = [];
  const records: { row: number; record: ConsumptionRow }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((values, index) => {
    const row = index + 2;
    if (values.every((value) => value.trim() === '')) return;
    const bad = (column: string, reason: string, reasonEn: string) => errors.push({ row, column, reason, reasonEn });
    const before = errors.length;
    const externalId = cell(values, mapping, 'externalId');
    if (!externalId) bad('ID externo', 'obrigatório', 'required');
    else if (externalId.length > 100) bad('ID externo', 'mais de 100 caracteres', 'more than 100 characters');
    else if (seen.has(externalId)) bad('ID externo', `repetido (já na linha ${seen.get(externalId)})`, `repeated (already on row ${seen.get(externalId)})`);
    else seen.set(externalId, row);
    const contractCode = cell(values, mapping, 'contract');
    const contract = contractCode ? lookup.contract(contractCode) : undefined;
    if (!contractCode) bad('Contrato', 'obrigatório', 'required');
    else if (!contract) bad('Contrato', `contrato ${contractCode} não encontrado`, `contract ${contractCode} not found`);
    const serviceCode = cell(values, mapping, 'service');
    const service = serviceCode ? lookup.service(serviceCode) : undefined;
    if (!serviceCode) bad('Serviço', 'obrigatório', 'required');
    else if (!service) bad('Serviço', `serviço ${serviceCode} não encontrado`, `service ${serviceCode} not found`);
    else if (contract && !contract.serviceIds.includes(service.id)) bad('Serviço', `serviço ${serviceCode} não faz parte do contrato ${contractCode}`, `service ${serviceCode} is not part of contract ${contractCode}`);
    const date = parseDay(cell(values, mapping, 'date'));
    if (!date) bad('Data', `data inválida: ${cell(values, mapping, 'date') || '(vazia)'}; use DD/MM/AAAA`, `invalid date: ${cell(values, mapping, 'date') || '(empty)'}; use DD/MM/YYYY`);
    const quantity = parseQuantity(cell(values, mapping, 'quantity'));
    if (quantity === null) bad('Quantidade', `quantidade inválida: ${cell(values, mapping, 'quantity') || '(vazia)'}; use um número inteiro`, `invalid quantity: ${cell(values, mapping, 'quantity') || '(empty)'}; use a whole number`);
    const description = cell(values, mapping, 'description').slice(0, 200);
    if (errors.length > before || !contract || !service || !date || quantity === null) return;
    records.push({ row, record: { externalId, contractId: contract.id, serviceId: service.id, date, quantity, ...(description ? { description } : {}) } });
  });
  return { records, errors };
}

/**
 * A .csv as Excel saves it in Brazil (`;`, Windows-1252) or as UTF-8 (with or without BOM, `;` or `,`):
 * rows of cells, quotes honoured ("" inside a quoted cell is one quote).
 */
export function parseCsv(bytes: Uint8Array): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (char === '"') quoted = false;
      else value += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      row.push(value);
      value = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
    } else value += char;
  }
  if (value !== '' || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}

/**
 * The text of one spreadsheet cell as a person typed it, from what an .xlsx reader returns (ExcelJS
 * cell values: string, number, boolean, Date, rich text, hyperlink, formula with its result, error):
 * a date cell becomes DD/MM/AAAA (the template's day format; spreadsheet dates carry no time zone,
 * the reader gives them as UTC midnight), a number its plain JS spelling ("1234", "1234.5"), so
 * parseQuantity and canonicalTaxId see the same text on the device and on the server.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'VERDADEIRO' : 'FALSO';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    return `${String(value.getUTCDate()).padStart(2, '0')}/${String(value.getUTCMonth() + 1).padStart(2, '0')}/${value.getUTCFullYear()}`;
  }
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown; hyperlink?: unknown };
    if (Array.isArray(cell.richText)) return cell.richText.map((run) => run.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error !== undefined) return String(cell.error);
  }
  return '';
}

/** One cell as an .xlsx reader gives it (ExcelJS's Cell): a merged range's other cells name its first as `master`. */
export interface SheetCellLike {
  value: unknown;
  isMerged: boolean;
  master: unknown;
}

/** One row as an .xlsx reader gives it (ExcelJS's Row). */
export interface SheetRowLike {
  eachCell(options: { includeEmpty: boolean }, callback: (cell: SheetCellLike, column: number) => void): void;
}

/**
 * The text cells of one worksheet row (index 0 = column A), for every .xlsx reader (the device's import
 * and the API's upload). A merged range's value belongs to its first (top-left) cell only: ExcelJS
 * answers the range's value for each of its cells, so a name merged across "Nome" and "E-mail" would
 * otherwise be read as an e-mail too, and one merged down two rows as both rows' name.
 */
export function sheetRowText(row: SheetRowLike): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = cell.isMerged && cell.master !== cell ? '' : cellText(cell.value).trim();
  });
  for (let index = 0; index < cells.length; index++) cells[index] ??= '';
  return cells;
}

/**
 * A CPF/CNPJ typed into a number cell loses its leading zeros ("01234567890" → 1234567890): all
 * digits and shorter than a CPF (11) or a CNPJ (14) gets them back, so the check digits decide.
 */
export function restoreTaxIdZeros(value: string): string {
  if (!/^\d{9,13}$/.test(value)) return value;
  return value.length <= 11 ? value.padStart(11, '0') : value.padStart(14, '0');
}
