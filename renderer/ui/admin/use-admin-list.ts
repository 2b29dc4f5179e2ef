import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useCore } from '../core-context.tsx';
import { serverProblem, useAdminErrorText } from './admin-error.ts';

/**
 * What useAdminResource gives a screen: the value (undefined until the first answer; null when the server
 * answered 404 and the screen said a missing resource is a state, e.g. no sandbox yet), the load error,
 * reload, and a setter for the answers of the screen's own changes.
 */
export interface AdminResource<T> {
  value: T | null | undefined;
  setValue: Dispatch<SetStateAction<T | null | undefined>>;
  /** The sentence for the screen's alert when the last load failed (the previous value stays shown), else null. */
  loadError: string | null;
  /** Reads the resource again (after a change made on the screen, or the refresh button); never throws. */
  load(): Promise<void>;
}

/**
 * A resource an admin screen reads from the server with the admin's session (`GET path`): loaded when
 * the screen opens and again on `load()`. With `missingIsNull`, a 404 answer is the value null (the
 * resource does not exist yet) rather than a load error.
 */
export function useAdminResource<T>(path: string, options: { missingIsNull?: boolean } = {}): AdminResource<T> {
  const core = useCore();
  const errorText = useAdminErrorText();
  const [value, setValue] = useState<T | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  // The error text function is made anew on every render: read through a ref, so `load` stays the same
  // function and the effect below loads once per screen (and per server connection), not per render.
  const errorTextRef = useRef(errorText);
  errorTextRef.current = errorText;
  const missingIsNull = options.missingIsNull ?? false;
  const load = useCallback(async () => {
    try {
      setValue(await core.request<T>('GET', path));
      setLoadError(null);
    } catch (error) {
      if (missingIsNull && serverProblem(error)?.status === 404) {
        setValue(null);
        setLoadError(null);
      } else setLoadError(errorTextRef.current(error));
    }
  }, [core, path, missingIsNull]);
  useEffect(() => {
    void load();
  }, [load]);
  return { value, setValue, loadError, load };
}

/** What useAdminList gives a screen: the rows (null until the first answer), the load error, and reload. */
export interface AdminList<T> {
  items: T[] | null;
  loadError: string | null;
  load(): Promise<void>;
}

/**
 * A list an admin screen reads (`GET path`, answering an array): useAdminResource for the webhooks and
 * the API keys screens.
 */
export function useAdminList<T>(path: string): AdminList<T> {
  const { value, loadError, load } = useAdminResource<T[]>(path);
  return { items: value ?? null, loadError, load };
}
