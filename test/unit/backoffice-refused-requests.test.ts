import { describe, expect, it } from 'vitest';
import { displayedState, withoutRefused } from '../../renderer/core/backoffice/backoffice.ts';
import type { BackofficeAction, ContractDoc } from '../../sync/schema/index.ts';

const contract: ContractDoc = {
  id: 'ct', kind: 'contract', code: 'C-1', customerId: 'cu', startDate: '2026-10-01', billingDay: 10, state: 'active', updatedAt: '2026-11-01T00:00:00.000Z',
  lines: [{ id: 'l', serviceId: 'min', quantity: 1 }],
  history: [{ at: '2026-10-01T00:00:00.000Z', action: 'activate', from: 'draft', to: 'active', userId: 'u', requestId: 'r0' }],
};
const suspend: BackofficeAction = { id: 'r1', kind: 'suspend', contractId: 'ct', userId: 'u', requestedAt: '2026-11-02T00:00:00.000Z', reason: 'Férias' } as BackofficeAction;

describe('contract requests the server refused (issue 11)', () => {
  it('BO-03 a refused request no longer moves the displayed state nor counts as pending; an unrefused one does', () => {
    const now = '2026-11-03T00:00:00.000Z';
    expect(displayedState(contract, withoutRefused([suspend], new Set()), now)).toBe('suspended');
    expect(withoutRefused([suspend], new Set(['r1']))).toEqual([]);
    expect(displayedState(contract, withoutRefused([suspend], new Set(['r1'])), now)).toBe('active');
    expect(withoutRefused([suspend], new Set(['other']))).toEqual([suspend]);
  });
});
