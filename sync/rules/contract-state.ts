import { ok, refuse, type RuleResult } from './result.ts';

/**
 * Contract life cycle (BO-03). Side effects such as receivables hang on these transitions, not on
 * requests, so the server and the offline back office must agree on which moves exist:
 *
 *   draft → active ⇄ inactive;  active → suspended → active;  any state but cancelled → cancelled.
 *
 * Cancelled is terminal: a cancelled contract is history, a new one is signed instead. Staying in the
 * same state is refused too, so a repeated request cannot trigger a side effect twice.
 */
export const CONTRACT_STATES = ['draft', 'active', 'inactive', 'suspended', 'cancelled'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/** The buttons of the UI and the verbs of the API, each leading to one state. */
export const CONTRACT_ACTIONS = {
  activate: 'active',
  deactivate: 'inactive',
  suspend: 'suspended',
  cancel: 'cancelled',
} as const satisfies Record<string, ContractState>;
export type ContractAction = keyof typeof CONTRACT_ACTIONS;

const NEXT: Readonly<Record<ContractState, readonly ContractState[]>> = {
  draft: ['active', 'cancelled'],
  active: ['inactive', 'suspended', 'cancelled'],
  inactive: ['active', 'cancelled'],
  suspended: ['active', 'cancelled'],
  cancelled: [],
};

export function isContractState(value: unknown): value is ContractState {
  return typeof value === 'string' && (CONTRACT_STATES as readonly string[]).includes(value);
}

export function allowedTransitions(from: ContractState): readonly ContractState[] {
  return NEXT[from];
}

export function canTransition(from: ContractState, to: ContractState): boolean {
  return NEXT[from].includes(to);
}

function hint(from: ContractState): string {
  if (from === 'cancelled') return 'A cancelled contract cannot change; create a new contract instead.';
  return `From ${from} it can only become: ${NEXT[from].join(', ')}.`;
}

/** The new state, or a refusal that says why and what is possible instead. */
export function transition(from: ContractState, to: ContractState): RuleResult<ContractState> {
  if (canTransition(from, to)) return ok(to);
  const what = from === to ? `The contract is already ${to}.` : `A ${from} contract cannot become ${to}.`;
  return refuse('invalid_transition', `${what} ${hint(from)}`, { from, to });
}

export function applyContractAction(from: ContractState, action: ContractAction): RuleResult<ContractState> {
  return transition(from, CONTRACT_ACTIONS[action]);
}
