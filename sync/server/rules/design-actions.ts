import type { DesignAction } from '../../schema/index.ts';
import type { BusinessRule } from './rule.ts';

/**
 * A design action is a request made once: it cannot be edited or withdrawn after it reached the
 * server, because its effects (versions, conversion, purchase orders) already happened. The guards
 * that depend on the project's state run in sync/server/design/actions.ts, in upload order.
 */
export const designActionsRule: BusinessRule<DesignAction> = {
  check(action, previous) {
    if (!previous) return null;
    return {
      reason: 'immutable_document',
      message: `Request ${action.id} (${action.kind}) was already received and applied; it cannot be changed or withdrawn. Make a new request instead.`,
    };
  },
};
