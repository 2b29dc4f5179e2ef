import { describe, expect, it } from 'vitest';
import { CONTRACT_STATES, allowedTransitions, applyContractAction, canTransition, isContractState, transition, type ContractState } from '../../sync/rules/index.ts';

/** The whole table of BO-03, written out so that any added or lost arrow fails a test. */
const EXPECTED: Record<ContractState, ContractState[]> = {
  draft: ['active', 'cancelled'],
  active: ['inactive', 'suspended', 'cancelled'],
  inactive: ['active', 'cancelled'],
  suspended: ['active', 'cancelled'],
  cancelled: [],
};

describe('contract state machine (BO-03)', () => {
  it('BO-03 allows exactly draft → active ⇄ inactive, active → suspended → active, any → cancelled', () => {
    for (const from of CONTRACT_STATES) {
      for (const to of CONTRACT_STATES) {
        expect([from, to, canTransition(from, to)]).toEqual([from, to, EXPECTED[from].includes(to)]);
        expect(transition(from, to).ok).toBe(EXPECTED[from].includes(to));
      }
      expect([...allowedTransitions(from)].sort()).toEqual([...EXPECTED[from]].sort());
    }
  });

  it('BO-03 refusals say what happened and what is possible instead', () => {
    expect(transition('suspended', 'inactive')).toEqual({
      ok: false,
      error: {
        code: 'invalid_transition',
        message: 'A suspended contract cannot become inactive. From suspended it can only become: active, cancelled.',
        params: { from: 'suspended', to: 'inactive' },
      },
    });
    expect(transition('cancelled', 'active')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/cannot change; create a new contract/) } });
    expect(transition('active', 'active')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^The contract is already active\./) } });
  });

  it('BO-03 UI and API actions map onto the same transitions', () => {
    expect(applyContractAction('draft', 'activate')).toEqual({ ok: true, value: 'active' });
    expect(applyContractAction('active', 'deactivate')).toEqual({ ok: true, value: 'inactive' });
    expect(applyContractAction('active', 'suspend')).toEqual({ ok: true, value: 'suspended' });
    expect(applyContractAction('suspended', 'activate')).toEqual({ ok: true, value: 'active' });
    expect(applyContractAction('inactive', 'cancel')).toEqual({ ok: true, value: 'cancelled' });
    expect(applyContractAction('draft', 'suspend').ok).toBe(false);
    expect(isContractState('active')).toBe(true);
    expect(isContractState('archived')).toBe(false);
  });
});
