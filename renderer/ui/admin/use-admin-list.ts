import { useCallback, useEffect, useRef, useState } from 'react';
import { useCore } from '../core-context.tsx';
import { useAdminErrorText } from './admin-error.ts';

/** What useAdminList gives a screen: the rows (null until the first answer), the load error, and reload. */
export interface AdminList<T> {
  items: T[] | null;
  /** The sentence for the screen's alert when the last load failed (the previous rows stay shown), else null. */
  loadError: string | null;
  /** Reads the list again (after a change made on the screen, or the refresh button); never throws. */
  load(): Promise<void>;
}

/**
 * A list an admin screen reads from the server with the admin's session (`GET path`, answering an
 * array): loaded when the screen opens and again on `load()`. One place for what the webhooks and the
 * API keys screens both did by hand (state, error text, the effect that loads once).
 */
export function useAdminList<T>(path: string): AdminList<T> {
  const core = useCore();
  const errorText = useAdminErrorText();
  const [items, setItems] = useState<T[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // The error text function is made anew on every render: read through a ref, so `load` stays the same
  // function and the effect below loads once per screen (and per server connection), not per render.
  const errorTextRef = useRef(errorText);
  errorTextRef.current = errorText;
  const load = useCallback(async () => {
    try {
      setItems(await core.request<T[]>('GET', path));
      setLoadError(null);
    } catch (error) {
      setLoadError(errorTextRef.current(error));
    }
  }, [core, path]);
  useEffect(() => {
    void load();
  }, [load]);
  return { items, loadError, load };
}
