import type { FieldProblem, FieldProblemCode } from './backoffice-records.ts';

/**
 * The pt-BR text of each back-office field problem (backoffice-records.ts), next to the English one the
 * problem carries; the Record type makes a new code ship with its Portuguese text. Shown on the forms
 * and in a spreadsheet's dry run.
 */
type Params = Readonly<Record<string, string | number>>;

const FIELD_PT: Record<FieldProblemCode, (p: Params) => string> = {
  name_required: () => 'O nome é obrigatório.',
  tax_id_invalid: (p) => `CPF/CNPJ ${p.value} com dígitos verificadores errados.`,
  phone_invalid: (p) => `Telefone "${p.value}" inválido; exemplo: 11987654321 (DDD + número).`,
  email_invalid: (p) => `E-mail "${p.value}" inválido; exemplo: nome@exemplo.com.br.`,
  cep_invalid: (p) => `CEP "${p.value}" inválido; exemplo: 01310100.`,
  deactivation_reason_required: () => 'Para desativar o cliente, informe o motivo.',
  service_price_required: () => 'O serviço precisa de mensalidade, de preço por unidade ou dos dois.',
  service_unit_required: () => 'Um serviço medido precisa do nome da unidade (por exemplo "min", "kWh").',
  contract_customer_required: () => 'O contrato precisa de um cliente.',
  contract_start_required: () => 'O contrato precisa da data de início.',
  contract_start_invalid: (p) => `A data de início ${String(p.value).replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1')} não existe; informe um dia válido.`,
  contract_billing_day_required: () => 'O contrato precisa do dia de cobrança (1 a 31).',
  contract_lines_required: () => 'O contrato precisa de ao menos um serviço.',
  contract_line_twice: () => 'O mesmo serviço aparece duas vezes; altere a quantidade de uma linha.',
};

/** The problem in the user's language: pt-BR unless the locale is another language (then English). */
export function fieldProblemText(problem: FieldProblem, locale: string): string {
  return locale.toLowerCase().startsWith('pt') ? FIELD_PT[problem.code](problem.params ?? {}) : problem.message;
}

/** Every code with its pt-BR text, for the sweep test of the messages. */
export const FIELD_PROBLEM_CODES = Object.keys(FIELD_PT) as FieldProblemCode[];
