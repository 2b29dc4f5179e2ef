import type { CashMovement } from '../../schema/index.ts';
import type { BusinessRule, Refusal } from './rule.ts';

const NEEDS_REASON: ReadonlySet<CashMovement['kind']> = new Set(['supply', 'withdrawal']);

/** Supply and withdrawal carry a known financial reason (POS-05); append-only is the registry's (appendOnly). */
export const cashMovementsRule: BusinessRule<CashMovement> = {
  references: (movement) => (movement.reasonId ? [{ collection: 'masterdata', ids: [movement.reasonId] }] : []),
  check(movement, _previous, references): Refusal | null {
    if (!NEEDS_REASON.has(movement.kind)) return null;
    const what = `${movement.kind} ${movement.id}`;
    if (!movement.reasonId) {
      return { reason: 'unknown_reference', message: `Cash ${what} has no financial reason. Choose a financial reason for it, then retry.` };
    }
    const reason = references.get('masterdata')?.get(movement.reasonId);
    if (!reason || reason.deleted || reason.data.kind !== 'financialReason') {
      return { reason: 'unknown_reference', message: `Cash ${what} uses financial reason ${movement.reasonId}, which the server does not know. Choose another reason, then retry.` };
    }
    const uses = reason.data.uses as readonly string[] | undefined;
    if (uses && !uses.includes(movement.kind)) {
      return { reason: 'unknown_reference', message: `Financial reason ${String(reason.data.name)} is not meant for a cash ${movement.kind}. Choose a reason made for it, then retry.` };
    }
    return null;
  },
};
