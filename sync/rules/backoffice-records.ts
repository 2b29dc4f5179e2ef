import type { ContractDoc, Customer, ServiceDoc } from '../schema/index.ts';
import { normalizeCep, normalizeEmail, normalizePhone } from './contact.ts';
import { canonicalTaxId } from './tax-id.ts';
import { isCalendarDate } from './consumption.ts';

/**
 * Field checks of back-office records (BO-01..03), the same on the device form, in the spreadsheet
 * import (one problem per bad cell, with its column) and on the server (which keeps a refused record in
 * quarantine). Any valid spelling is accepted ("(11) 98765-4321" as well as "11987654321"), because
 * the till's quick customer form stores what the cashier typed; the back office stores the normalised
 * form (normalizePhone, normalizeCep, normalizeEmail) and formats it for display.
 */
export interface FieldProblem {
  field: string;
  /** What is wrong, for the user's language (messages: field-messages.ts). */
  code: FieldProblemCode;
  params?: Readonly<Record<string, string | number>>;
  /** English; the server's refusals quote it. */
  message: string;
}

export type FieldProblemCode =
  | 'name_required'
  | 'tax_id_invalid'
  | 'phone_invalid'
  | 'email_invalid'
  | 'cep_invalid'
  | 'deactivation_reason_required'
  | 'service_price_required'
  | 'service_unit_required'
  | 'contract_customer_required'
  | 'contract_start_required'
  | 'contract_start_invalid'
  | 'contract_billing_day_required'
  | 'contract_lines_required'
  | 'contract_line_twice';

function stored(field: string, value: string | undefined, normalize: (value: string) => string | null, code: FieldProblemCode, what: string, example: string): FieldProblem | null {
  if (value === undefined || value === '') return null;
  return normalize(value) === null ? { field, code, params: { value }, message: `${what} "${value}" is not valid; expected e.g. ${example}.` } : null;
}

export function customerProblems(customer: Customer): FieldProblem[] {
  const problems: (FieldProblem | null)[] = [
    customer.name.trim() === '' ? { field: 'name', code: 'name_required', message: 'The name is required.' } : null,
    canonicalTaxId(customer.taxId) === customer.taxId ? null : { field: 'taxId', code: 'tax_id_invalid', params: { value: customer.taxId }, message: `CPF/CNPJ ${customer.taxId} has wrong check digits.` },
    stored('phone', customer.phone, normalizePhone, 'phone_invalid', 'Phone', '11987654321 (DDD + number)'),
    stored('email', customer.email, normalizeEmail, 'email_invalid', 'E-mail', 'nome@exemplo.com.br'),
    stored('cep', customer.cep, normalizeCep, 'cep_invalid', 'CEP', '01310100'),
    !customer.active && !customer.deactivationReason?.trim() ? { field: 'deactivationReason', code: 'deactivation_reason_required', message: 'A deactivated customer needs a reason.' } : null,
  ];
  return problems.filter((problem): problem is FieldProblem => problem !== null);
}

export function serviceProblems(service: ServiceDoc): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!service.name?.trim()) problems.push({ field: 'name', code: 'name_required', message: 'A service needs a name.' });
  if (!service.monthlyFeeCents && service.unitPriceCents === undefined) {
    problems.push({ field: 'monthlyFeeCents', code: 'service_price_required', message: 'A service needs a monthly fee, a metered price per unit, or both.' });
  }
  if (service.unitPriceCents !== undefined && !service.unit?.trim()) problems.push({ field: 'unit', code: 'service_unit_required', message: 'A metered service needs the name of its unit (e.g. "min", "kWh").' });
  return problems;
}

/** Field checks of a contract as the back office edits it (state and history are the server's). */
export function contractProblems(contract: ContractDoc): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!contract.customerId) problems.push({ field: 'customerId', code: 'contract_customer_required', message: 'A contract needs a customer.' });
  if (!contract.startDate) problems.push({ field: 'startDate', code: 'contract_start_required', message: 'A contract needs a start date.' });
  else if (!isCalendarDate(contract.startDate)) problems.push({ field: 'startDate', code: 'contract_start_invalid', params: { value: contract.startDate }, message: `Start date ${contract.startDate} does not exist; enter a real day (YYYY-MM-DD).` });
  if (contract.billingDay === undefined) problems.push({ field: 'billingDay', code: 'contract_billing_day_required', message: 'A contract needs a billing day (1–31).' });
  const lines = contract.lines ?? [];
  if (lines.length === 0) problems.push({ field: 'lines', code: 'contract_lines_required', message: 'A contract needs at least one service.' });
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.serviceId)) problems.push({ field: 'lines', code: 'contract_line_twice', params: { service: line.serviceId }, message: `Service ${line.serviceId} is contracted twice; change the quantity of one line instead.` });
    seen.add(line.serviceId);
  }
  return problems;
}

/** "field: message; field: message" for a refusal. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join(' ');
}
