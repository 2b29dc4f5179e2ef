import { createContext, useContext, useSyncExternalStore, useRef, useCallback } from 'react';
import type { Observable } from 'rxjs';
import { useTranslation } from 'react-i18next';
import type { Core } from '../core/core.ts';
import { coreErrorCode } from '../core/errors.ts';

export const CoreContext = createContext<Core | null>(null);

export function useCore(): Core {
  const core = useContext(CoreContext);
  if (!core) throw new Error('CoreContext missing');
  return core;
}

/** Subscribes a component to an RxJS observable (the core's only way to talk to React). */
export function useObservable<T>(observable: Observable<T>, initial: T): T {
  const value = useRef(initial);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscription = observable.subscribe((next) => {
        value.current = next;
        onChange();
      });
      return () => subscription.unsubscribe();
    },
    [observable],
  );
  return useSyncExternalStore(subscribe, () => value.current);
}

/** Turns any error from the core into the sentence the user reads. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => t(`errors.${coreErrorCode(error)}`);
}
