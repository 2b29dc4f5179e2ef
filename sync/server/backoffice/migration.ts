/**
 * Back office (issue 11): receivables made by the monthly billing run (BO-05). Customers, services,
 * contracts and consumption are documents in `documents` like every other collection; receivables
 * are read-mostly and made set-based by the server, so they have their own table.
 *
 * Version 11 (the number) rather than the next free one, so that parallel branches adding
 * migrations do not collide on a number; migrations run in list order, versions only need to be unique.
 */
export const backofficeMigration = {
  version: 11,
  name: 'backoffice',
  sql: `
    -- One charge per contract and period: the billing run inserts with ON CONFLICT DO NOTHING, so a
    -- second run (also a concurrent one) adds nothing, and a cancelled charge is not made again.
    CREATE TABLE receivables (
      store_id text NOT NULL REFERENCES stores(id),
      id text NOT NULL,
      customer_id text NOT NULL,
      contract_id text NOT NULL,
      period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      due_date date NOT NULL,
      -- The schema's bound for cents (sync/schema/common-fields.ts).
      amount_cents bigint NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 100000000000),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'cancelled')),
      lines jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      paid_at timestamptz,
      cancelled_at timestamptz,
      cancel_reason text,
      changed_by text,
      PRIMARY KEY (store_id, id),
      UNIQUE (store_id, contract_id, period)
    );
    CREATE INDEX receivables_by_customer ON receivables (store_id, customer_id, status);
    CREATE INDEX receivables_by_due ON receivables (store_id, due_date, id);
    CREATE INDEX receivables_by_period ON receivables (store_id, period);
    -- Who ran the billing of which period, and what it made (audit; idempotency lives in receivables).
    CREATE TABLE billing_runs (
      store_id text NOT NULL REFERENCES stores(id),
      period text NOT NULL,
      run_at timestamptz NOT NULL DEFAULT now(),
      user_id text NOT NULL,
      created integer NOT NULL,
      amount_cents bigint NOT NULL
    );
    CREATE INDEX billing_runs_by_period ON billing_runs (store_id, period);
    -- Consumption is summed per contract and period by the billing run and looked up by external id.
    CREATE INDEX documents_consumption_contract ON documents (store_id, (data ->> 'contractId'), (data ->> 'date')) WHERE collection = 'consumption';
    CREATE INDEX documents_consumption_external ON documents (store_id, (data ->> 'externalId')) WHERE collection = 'consumption';
  `,
};

/**
 * Issue 11, second migration (1102: the issue's number, then its own count, as 1202 for issue 12): the
 * customers' CPF/CNPJ lookup of the duplicate-key guard (guards.ts) on every customers write. Not unique:
 * a store may already hold duplicates from before the guard, and a refusal is per record (integration
 * errors), never a failed batch.
 */
export const backofficeTaxIdMigration = {
  version: 1102,
  name: 'backoffice-customer-tax-id',
  sql: `
    CREATE INDEX documents_customers_tax_id ON documents (store_id, (data ->> 'taxId')) WHERE collection = 'customers' AND NOT deleted;
  `,
};

/**
 * Issue 11, third migration (1103): the corrections of a record, found by `correctsId` on every consumption
 * write (guards.ts, correctionRefusals: a change or removal of a record is judged with its corrections).
 */
export const consumptionCorrectsMigration = {
  version: 1103,
  name: 'consumption-corrects',
  sql: `
    CREATE INDEX documents_consumption_corrects ON documents (store_id, (data ->> 'correctsId')) WHERE collection = 'consumption' AND NOT deleted;
  `,
};
