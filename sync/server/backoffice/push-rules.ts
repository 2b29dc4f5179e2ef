import type { BackofficeDoc, ConsumptionRecord, ContractDoc, Customer, ServiceDoc } from '../../schema/index.ts';
import { checkConsumptionContract, contractProblems, customerProblems, describeProblems, serviceProblems } from '../../rules/index.ts';
import type { StoredDocument } from '../db/documents.ts';
import type { BusinessRule, References, Refusal } from '../rules/rule.ts';
import { sameDocument } from '../sync/stable-json.ts';

/**
 * Per-document guards of the back-office collections (BO-01..04), run on every write path (device
 * push, integration API, quarantine retry). Guards that need more than the documents — receivables,
 * other contracts, the order of requests — run per batch in guards.ts.
 */

/** BO-01: never deleted (deactivated with a reason instead); fields valid. */
export const customersRule: BusinessRule<Customer> = {
  check(customer, previous) {
    // Discarding a customer the server never kept (e.g. refused as a duplicate CPF/CNPJ) loses nothing.
    if (customer._deleted && (!previous || previous.deleted)) return null;
    if (customer._deleted) {
      return { reason: 'not_deletable', message: `Customer ${customer.id} cannot be deleted: customers are kept for their history. Deactivate the customer with a reason instead.` };
    }
    const problems = customerProblems(customer);
    if (problems.length === 0) return null;
    if (problems.length === 1 && problems[0]!.field === 'taxId') {
      return { reason: 'invalid_tax_id', message: `CPF/CNPJ ${customer.taxId} of customer ${customer.id} has wrong check digits. Correct it and save again.` };
    }
    return { reason: 'invalid_value', message: `Customer ${customer.name || customer.id}: ${describeProblems(problems)} Correct it and save again.` };
  },
};

function serviceOf(references: References, id: string): StoredDocument | undefined {
  const found = references.get('backoffice')?.get(id);
  return found && !found.deleted && found.data.kind === 'service' ? found : undefined;
}

function checkContract(contract: ContractDoc, previous: StoredDocument | undefined, references: References): Refusal | null {
  const problems = contractProblems(contract);
  if (problems.length > 0) return { reason: 'invalid_value', message: `Contract ${contract.code}: ${describeProblems(problems)} Correct it and save again.` };
  if (!previous || previous.deleted) {
    if ((contract.state ?? 'draft') !== 'draft' || (contract.history ?? []).length > 0) {
      return { reason: 'invalid_transition', message: `Contract ${contract.code} must be created as a draft without history; activate it afterwards with an activate request.` };
    }
  } else if (!sameDocument({ state: previous.data.state ?? null, history: previous.data.history ?? [] }, { state: contract.state ?? null, history: contract.history ?? [] })) {
    return {
      reason: 'invalid_transition',
      message: `Contract ${contract.code}: its state and history change only through requests (activate, deactivate, suspend, resume, cancel). Reload the contract and make the request instead.`,
    };
  }
  const before = new Set(((previous?.data.lines as ContractDoc['lines']) ?? []).map((line) => line.serviceId));
  for (const line of contract.lines ?? []) {
    const service = serviceOf(references, line.serviceId);
    if (!service) return { reason: 'unknown_reference', message: `Contract ${contract.code} uses service ${line.serviceId}, which the server does not know. Choose an existing service, then retry.` };
    if (service.data.active === false && !before.has(line.serviceId)) {
      return { reason: 'inactive_reference', message: `Service ${String(service.data.code)} is deactivated and cannot be added to contract ${contract.code}. Choose an active service.` };
    }
  }
  return null;
}

/** BO-02 services, BO-03 contracts. */
export const backofficeRule: BusinessRule<BackofficeDoc> = {
  references(doc) {
    return doc.kind === 'contract' ? [{ collection: 'backoffice', ids: (doc.lines ?? []).map((line) => line.serviceId) }] : [];
  },
  check(doc, previous, references) {
    if (previous && !previous.deleted && previous.data.kind !== doc.kind) {
      return { reason: 'invalid_value', message: `Record ${doc.id} is a ${String(previous.data.kind)} and cannot become a ${doc.kind}. Create a new record instead.` };
    }
    if (doc.kind === 'contract') {
      if (doc._deleted) return { reason: 'not_deletable', message: `Contract ${doc.code} cannot be deleted: contracts are kept for their history and charges. Cancel it with a reason instead.` };
      return checkContract(doc, previous, references);
    }
    if (doc._deleted) return null;
    const problems = serviceProblems(doc as ServiceDoc);
    return problems.length > 0 ? { reason: 'invalid_value', message: `Service ${doc.code}: ${describeProblems(problems)} Correct it and save again.` } : null;
  },
};

/** BO-04: the contract exists, contracts the service and was not cancelled by the record's date. */
export const consumptionRule: BusinessRule<ConsumptionRecord> = {
  references(record) {
    return [{ collection: 'backoffice', ids: [record.contractId] }];
  },
  check(record, _previous, references) {
    if (record._deleted) return null;
    const stored = references.get('backoffice')?.get(record.contractId);
    if (!stored || stored.deleted || stored.data.kind !== 'contract') {
      return { reason: 'unknown_reference', message: `Consumption ${record.externalId}: contract ${record.contractId} is not known to the server (yet). It is checked again by itself when the contract arrives; otherwise choose an existing contract.` };
    }
    const checked = checkConsumptionContract(record, stored.data as unknown as ContractDoc);
    if (checked.ok) return null;
    const reason = checked.error.code === 'contract_cancelled' ? 'contract_cancelled' : checked.error.code === 'invalid_value' ? 'invalid_value' : 'unknown_reference';
    return { reason, message: `Consumption ${record.externalId}: ${checked.error.message}` };
  },
};
