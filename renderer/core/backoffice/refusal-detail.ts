import type { BackofficeAction, ConsumptionRecord, ContractDoc, Customer, IntegrationError, ServiceDoc } from '../../../sync/schema/index.ts';
import { applyContractRequest, checkConsumptionContract, contractProblems, customerProblems, fieldProblemText, isContractState, ruleMessage, serviceProblems, storeDay } from '../../../sync/rules/index.ts';

/**
 * A server refusal's detail in the user's language. The server words its refusals in English (they are
 * also the integrators' errors); the device runs the same shared rules again on the refused record it
 * kept, so the field problems of a customer, service or contract — and a usage record against its
 * contract — read in the user's language. Null when the rules find nothing to say here (the refusal
 * depends on data only the server has, e.g. open receivables): the translated reason above it stands.
 * A refused contract request is checked again against the contract's current state, so its text says
 * which transitions that state allows (BO-03).
 */
export function localRefusalDetail(entry: IntegrationError, locale: string, contracts: ReadonlyMap<string, ContractDoc> = new Map()): string | null {
  const doc = entry.document as Record<string, unknown>;
  if (!['invalid_value', 'invalid_tax_id', 'contract_cancelled', 'unknown_reference', 'invalid_transition'].includes(entry.reason)) return null;
  let texts: string[] = [];
  if (entry.collection === 'customers' && typeof doc.name === 'string' && typeof doc.taxId === 'string') {
    texts = customerProblems(doc as unknown as Customer).map((problem) => fieldProblemText(problem, locale));
  } else if (entry.collection === 'backoffice' && doc.kind === 'service') {
    texts = serviceProblems(doc as unknown as ServiceDoc).map((problem) => fieldProblemText(problem, locale));
  } else if (entry.collection === 'backoffice' && doc.kind === 'contract') {
    texts = contractProblems(doc as unknown as ContractDoc).map((problem) => fieldProblemText(problem, locale));
  } else if (entry.collection === 'consumption' && typeof doc.contractId === 'string') {
    const contract = contracts.get(doc.contractId);
    const checked = contract ? checkConsumptionContract(doc as unknown as ConsumptionRecord, contract) : null;
    if (checked && !checked.ok) texts = [ruleMessage(checked.error, locale)];
  } else if (entry.collection === 'backofficeActions' && typeof doc.contractId === 'string') {
    const contract = contracts.get(doc.contractId);
    const now = new Date().toISOString();
    const applied = contract ? applyContractRequest(isContractState(contract.state) ? contract.state : 'draft', doc as unknown as BackofficeAction, now, storeDay(now)) : null;
    if (applied && !applied.ok) texts = [ruleMessage(applied.error, locale)];
  }
  return texts.length ? texts.join(' ') : null;
}
