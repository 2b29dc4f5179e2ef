import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/** Subscribes to a live query the page creates; `make` returns null when there is nothing to query. */
export function useLive<T>(make: () => Observable<T[]> | null, deps: readonly unknown[]): T[] {
  const [rows, setRows] = useState<T[]>([]);
  useEffect(() => {
    const source = make();
    if (!source) return;
    const sub = source.subscribe(setRows);
    return () => sub.unsubscribe();
  }, deps);
  return rows;
}
