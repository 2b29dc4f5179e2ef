import type { ContractHistoryEntry } from '../schema/index.ts';
import { ok, refuse, type RuleResult } from './result.ts';
import { localMidnight, STORE_TIME_ZONE, storeDay } from './store-calendar.ts';

/**
 * Contract life cycle (BO-03). Side effects such as receivables hang on these transitions, not on
 * requests, so the server and the offline back office must agree on which moves exist:
 *
 *   draft → active ⇄ inactive;  active → suspended → active;  any state but cancelled → cancelled.
 *
 * | from \ action | activate | deactivate | suspend   | resume | cancel    |
 * |---------------|----------|------------|-----------|--------|-----------|
 * | draft         | active   | –          | –         | –      | cancelled |
 * | active        | –        | inactive   | suspended | –      | cancelled |
 * | inactive      | active   | –          | –         | –      | cancelled |
 * | suspended     | active   | –          | –         | active | cancelled |
 * | cancelled     | –        | –          | –         | –      | –         |
 *
 * Cancelled is terminal: a cancelled contract is history, a new one is signed instead. Staying in the
 * same state is refused too, so a repeated request cannot trigger a side effect twice. `resume` is
 * `activate` restricted to a suspended contract (the UI's "Retomar"). Deactivate, suspend and cancel
 * need a reason; cancel has an effective date (default: the day it is applied). Every applied
 * transition appends who, when (device request time and server time) and why to the contract's history.
 */
export const CONTRACT_STATES = ['draft', 'active', 'inactive', 'suspended', 'cancelled'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/** The buttons of the UI and the verbs of the API, each leading to one state. */
export const CONTRACT_ACTIONS = {
  activate: 'active',
  deactivate: 'inactive',
  suspend: 'suspended',
  resume: 'active',
  cancel: 'cancelled',
} as const satisfies Record<string, ContractState>;
export type ContractAction = keyof typeof CONTRACT_ACTIONS;

/** Actions that must say why. */
export const ACTIONS_NEEDING_REASON: readonly ContractAction[] = ['deactivate', 'suspend', 'cancel'];

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

/** The actions the UI offers (and the API accepts) from a state. */
export function allowedActions(from: ContractState): ContractAction[] {
  return (Object.keys(CONTRACT_ACTIONS) as ContractAction[]).filter((action) => applyContractAction(from, action).ok);
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
  if (action === 'resume' && from !== 'suspended') {
    return refuse('invalid_transition', `Only a suspended contract can be resumed; this one is ${from}. ${hint(from)}`, { from, to: 'active' });
  }
  return transition(from, CONTRACT_ACTIONS[action]);
}

export interface ContractRequest {
  id: string;
  kind: ContractAction;
  userId: string;
  requestedAt: string;
  reason?: string;
  effectiveDate?: string;
}

/**
 * Applies a transition request to a contract's state: the new state and the history entry to append,
 * or a refusal (invalid transition, missing reason). `now` is the applying side's clock (the server's
 * for the record; the device's for its optimistic display); `today` (YYYY-MM-DD, the store's calendar:
 * storeDay(now)) is the default effective date of a cancellation.
 */
export function applyContractRequest(from: ContractState, request: ContractRequest, now: string, today: string): RuleResult<{ state: ContractState; entry: ContractHistoryEntry }> {
  const next = applyContractAction(from, request.kind);
  if (!next.ok) return next;
  const reason = request.reason?.trim() ?? '';
  if (request.effectiveDate !== undefined && !isRealDay(request.effectiveDate)) {
    return refuse('invalid_value', `Effective date ${request.effectiveDate} does not exist. Enter a real day (YYYY-MM-DD) and make the request again.`, { field: 'effectiveDate' });
  }
  if (ACTIONS_NEEDING_REASON.includes(request.kind) && reason === '') {
    return refuse('reason_required', `To ${request.kind} a contract, say why (reason). Add the reason and make the request again.`, { action: request.kind });
  }
  const entry: ContractHistoryEntry = {
    at: now,
    requestedAt: request.requestedAt,
    action: request.kind,
    from,
    to: next.value,
    userId: request.userId,
    requestId: request.id,
    ...(reason ? { reason } : {}),
    ...(request.kind === 'cancel' ? { effectiveDate: request.effectiveDate ?? today } : {}),
  };
  return ok({ state: next.value, entry });
}

function isRealDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00.000Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value >= '1900-01-01';
}

/**
 * The instant from which an entry counts: a cancellation from its effective date's local midnight in the
 * store's calendar (São Paulo: effective 2026-12-01 → from 2026-12-01T03:00:00.000Z), the others from when
 * the server applied them (`at`).
 */
function entryTime(entry: ContractHistoryEntry, timeZone: string): string {
  return entry.action === 'cancel' && entry.effectiveDate ? localMidnight(entry.effectiveDate, timeZone) : entry.at;
}

/**
 * The contract's state at an instant (ISO-8601 UTC, as toISOString writes it), from its history: draft
 * before any entry; a cancellation counts from its effective date (a day of the store's calendar, São
 * Paulo, from its local midnight; possibly back-dated or future) and, being terminal, wins over later
 * entries; the others count from when the server applied them, in history order. `timeZone` (IANA, default
 * the store's) is for tests and tools.
 */
export function contractStateAt(history: readonly ContractHistoryEntry[], instant: string, timeZone = STORE_TIME_ZONE): ContractState {
  const cancel = history.find((entry) => entry.action === 'cancel');
  if (cancel && entryTime(cancel, timeZone) < instant) return 'cancelled';
  let state: ContractState = 'draft';
  for (const entry of history) {
    if (entry.action !== 'cancel' && entry.at < instant) state = entry.to;
  }
  return state;
}

/**
 * The effective date of the contract's cancellation (YYYY-MM-DD, the store's calendar), if it was
 * cancelled; for an entry without one (stored before effective dates), the store's day it was applied on.
 */
export function cancellationDate(history: readonly ContractHistoryEntry[], timeZone = STORE_TIME_ZONE): string | null {
  const cancel = history.find((entry) => entry.action === 'cancel');
  if (!cancel) return null;
  if (cancel.effectiveDate) return cancel.effectiveDate;
  return Number.isNaN(Date.parse(cancel.at)) ? cancel.at.slice(0, 10) : storeDay(cancel.at, timeZone);
}
