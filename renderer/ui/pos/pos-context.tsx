import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY as RX_EMPTY, type Observable } from 'rxjs';
import type { IntegrationError } from '../../../sync/schema/index.ts';
import { ruleMessage } from '../../../sync/rules/index.ts';
import { createPos, type Pos } from '../../core/pos/pos.ts';
import { buildCatalog, type PosCatalog } from '../../core/pos/catalog.ts';
import { PosError } from '../../core/pos/errors.ts';
import { UploadWatermark } from '../../core/pos/sync-state.ts';
import { voucherConfirmer } from '../../core/pos/vouchers.ts';
import { CoreError } from '../../core/errors.ts';
import { useCore, useObservable } from '../core-context.tsx';
import { OFFLINE_SYNC_STATUS } from '../../core/core.ts';

export interface PosContextValue {
  /** Null when the user's roles do not replicate sales (designer, reviewer, back office). */
  pos: Pos | null;
  catalog: PosCatalog;
  /** Device time up to which local changes are known to be uploaded (see core/pos/sync-state.ts). */
  watermark: string | null;
  /** Integration errors as last read from the server; null before the first successful read. */
  integrationErrors: IntegrationError[] | null;
  integrationErrorsFailed: boolean;
  refreshIntegrationErrors(): Promise<void>;
  refusedIds: ReadonlySet<string>;
}

const PosContext = createContext<PosContextValue | null>(null);

export function usePosContext(): PosContextValue {
  const value = useContext(PosContext);
  if (!value) throw new Error('PosProvider missing');
  return value;
}

const ERRORS_REFRESH_MS = 30_000;
const EMPTY = RX_EMPTY as Observable<PosCatalog>;

/** Lives as long as the session: the upload watermark must follow the sync status on every screen. */
export function PosProvider({ children }: { children: ReactNode }) {
  const core = useCore();
  const state = useObservable(core.state$, core.state);
  const db = core.database();
  const stationId = state.settings.stationId;
  const userId = state.session?.user.id ?? null;
  const isAdmin = state.session?.user.roles.includes('admin') ?? false;

  const pos = useMemo(() => {
    if (!db || !stationId || !userId || !db.collections.sales) return null;
    // POS-21: vouchers are numbered with the station's code; online, a voucher spend is confirmed by the server first.
    return createPos({ db, stationId, userId, stationCode: state.settings.stationCode ?? undefined, product: (id) => core.products.get(id), confirmVoucherSale: voucherConfirmer((method, path, body) => core.request(method, path, body)) });
  }, [core, db, stationId, userId, state.settings.stationCode]);
  useEffect(() => () => pos?.dispose(), [pos]);

  const emptyCatalog = useMemo(() => buildCatalog([], stationId), [stationId]);
  const catalog = useObservable(pos?.catalog$ ?? EMPTY, emptyCatalog) ?? emptyCatalog;

  const [watermark, setWatermark] = useState<string | null>(null);
  useEffect(() => {
    if (!stationId) return;
    const tracker = new UploadWatermark(window.localStorage, `balcao.pos.uploaded.${stationId}`);
    setWatermark(tracker.value);
    tracker.track(core.sync$, setWatermark);
    return () => tracker.stop();
  }, [core, stationId]);

  const [integrationErrors, setIntegrationErrors] = useState<IntegrationError[] | null>(null);
  const [failed, setFailed] = useState(false);
  const refreshIntegrationErrors = useCallback(async () => {
    try {
      const all = await core.request<IntegrationError[]>('GET', '/api/sync/errors?includeResolved=true');
      // A cashier sees what this station sent and the server refused; what an outside system's API
      // calls caused (no station, or another one) is for the admin, who sees the whole store.
      setIntegrationErrors(isAdmin ? all : all.filter((error) => error.stationId === stationId));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [core, isAdmin, stationId]);
  const online = useObservable(core.sync$, OFFLINE_SYNC_STATUS).online;
  useEffect(() => {
    if (!online) return;
    void refreshIntegrationErrors();
    const timer = setInterval(() => void refreshIntegrationErrors(), ERRORS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [online, refreshIntegrationErrors]);

  const refusedIds = useMemo(
    () => new Set((integrationErrors ?? []).filter((e) => !e.resolvedAt && e.collection === 'sales').map((e) => e.documentId)),
    [integrationErrors],
  );

  const value: PosContextValue = { pos, catalog, watermark, integrationErrors, integrationErrorsFailed: failed, refreshIntegrationErrors, refusedIds };
  return <PosContext.Provider value={value}>{children}</PosContext.Provider>;
}


/** The sentence for any error a POS operation raises. */
export function usePosErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => {
    if (error instanceof PosError) {
      if (error.code === 'rule' && error.rule) return ruleMessage(error.rule, i18n.language);
      return t(`pos.errorCodes.${error.code}`, error.params);
    }
    if (error instanceof CoreError) return t(`errors.${error.code}`);
    return t('errors.unexpected');
  };
}
