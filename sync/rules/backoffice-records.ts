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
  message: string;
}

function stored(field: string, value: string | undefined, normalize: (value: string) => string | null, what: string, example: string): FieldProblem | null {
  if (value === undefined || value === '') return null;
  return normalize(value) === null ? { field, message: `${what} "${value}" is not valid; expected e.g. ${example}.` } : null;
}

export function customerProblems(customer: Customer): FieldProblem[] {
  const problems: (FieldProblem | null)[] = [
    customer.name.trim() === '' ? { field: 'name', message: 'The name is required.' } : null,
    canonicalTaxId(customer.taxId) === customer.taxId ? null : { field: 'taxId', message: `CPF/CNPJ ${customer.taxId} has wrong check digits.` },
    stored('phone', customer.phone, normalizePhone, 'Phone', '11987654321 (DDD + number)'),
    stored('email', customer.email, normalizeEmail, 'E-mail', 'nome@exemplo.com.br'),
    stored('cep', customer.cep, normalizeCep, 'CEP', '01310100'),
    !customer.active && !customer.deactivationReason?.trim() ? { field: 'deactivationReason', message: 'A deactivated customer needs a reason.' } : null,
  ];
  return problems.filter((problem): problem is FieldProblem => problem !== null);
}

export function serviceProblems(service: ServiceDoc): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!service.name?.trim()) problems.push({ field: 'name', message: 'A service needs a name.' });
  if (!service.monthlyFeeCents && service.unitPriceCents === undefined) {
    problems.push({ field: 'monthlyFeeCents', message: 'A service needs a monthly fee, a metered price per unit, or both.' });
  }
  if (service.unitPriceCents !== undefined && !service.unit?.trim()) problems.push({ field: 'unit', message: 'A metered service needs the name of its unit (e.g. "min", "kWh").' });
  return problems;
}

/** Field checks of a contract as the back office edits it (state and history are the server's). */
export function contractProblems(contract: ContractDoc): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!contract.customerId) problems.push({ field: 'customerId', message: 'A contract needs a customer.' });
  if (!contract.startDate) problems.push({ field: 'startDate', message: 'A contract needs a start date.' });
  else if (!isCalendarDate(contract.startDate)) problems.push({ field: 'startDate', message: `Start date ${contract.startDate} does not exist; enter a real day (YYYY-MM-DD).` });
  if (contract.billingDay === undefined) problems.push({ field: 'billingDay', message: 'A contract needs a billing day (1–31).' });
  const lines = contract.lines ?? [];
  if (lines.length === 0) problems.push({ field: 'lines', message: 'A contract needs at least one service.' });
  const seen = new Set<string>();
  for (const line of lines) {
    if (seen.has(line.serviceId)) problems.push({ field: 'lines', message: `Service ${line.serviceId} is contracted twice; change the quantity of one line instead.` });
    seen.add(line.serviceId);
  }
  return problems;
}

/** "field: message; field: message" for a refusal. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join(' ');
}
