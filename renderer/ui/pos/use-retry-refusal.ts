import { useState } from 'react';
import type { IntegrationError } from '../../../sync/schema/index.ts';
import { useCore } from '../core-context.tsx';
import { toast } from '../toast.ts';
import { usePosContext } from './pos-context.tsx';

/**
 * "Tentar de novo" on a refusal the server kept (POS-07), for every screen that lists them (the admin's
 * integration errors page, the back office's refusal lists): POST /api/sync/errors/:id/retry makes the
 * server check the refused version again against today's data. `announce` gets the entry as the server
 * now has it (`resolvedAt` set when it went through), then the list is refreshed; a failed request is
 * shown on `channel` with `errorText`. `retrying` is the id of the entry being retried, or null.
 */
export function useRetryRefusal(channel: string, errorText: (error: unknown) => string, announce: (result: IntegrationError) => void): { retrying: string | null; retry(entry: IntegrationError): Promise<void> } {
  const core = useCore();
  const { refreshIntegrationErrors } = usePosContext();
  const [retrying, setRetrying] = useState<string | null>(null);
  const retry = async (entry: IntegrationError) => {
    setRetrying(entry.id);
    try {
      announce(await core.request<IntegrationError>('POST', `/api/sync/errors/${encodeURIComponent(entry.id)}/retry`));
      await refreshIntegrationErrors();
    } catch (error) {
      toast(channel, errorText(error), 'red');
    } finally {
      setRetrying(null);
    }
  };
  return { retrying, retry };
}
