import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import { combineLatest, EMPTY, type Observable } from 'rxjs';
import type { DesignAction, DesignEnvironmentDoc, DesignProject } from '../../../sync/schema/index.ts';
import { getBridge } from '../../bridge/index.ts';
import { createDesign, type Design } from '../../core/design/design.ts';
import { NoticeCenter, type DesignNotice } from '../../core/design/notices.ts';
import { designLinkTarget } from '../../core/design/open-links.ts';
import { DesignError, serverMessageOf, statusOf } from '../../core/design/errors.ts';
import { CoreError } from '../../core/errors.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore, useObservable } from '../core-context.tsx';

export type EnvironmentTab = 'items' | 'versions' | 'approve' | 'history';

export type DesignRoute =
  | { page: 'projects' }
  | { page: 'project'; projectId: string }
  | { page: 'environment'; environmentId: string; tab?: EnvironmentTab; showUpdate?: boolean }
  | { page: 'review'; projectId: string }
  | { page: 'link' }
  | { page: 'portal' };

export interface DesignContextValue {
  /** Null when the user's roles do not replicate design projects. */
  design: Design | null;
  route: DesignRoute;
  open(route: DesignRoute): void;
  notices: DesignNotice[];
  dismiss(id: string): void;
  /** The live documents every design screen reads; kept here so switching screens never waits. */
  projects: DesignProject[];
  environments: DesignEnvironmentDoc[];
  actions: DesignAction[];
}

const DesignContext = createContext<DesignContextValue | null>(null);

export function useDesign(): DesignContextValue {
  const value = useContext(DesignContext);
  if (!value) throw new Error('DesignProvider missing');
  return value;
}

const NO_NOTICES = EMPTY as Observable<DesignNotice[]>;

/** Lives as long as the session, so a save is announced on whatever screen the user is (DES-05). */
export function DesignProvider({ children, onShow }: { children: ReactNode; onShow(): void }) {
  const core = useCore();
  const state = useObservable(core.state$, core.state);
  const db = core.database();
  const user = state.session?.user ?? null;
  const userId = user?.id ?? null;
  const roles = useMemo(() => user?.roles ?? [], [user]);
  const [route, setRoute] = useState<DesignRoute>({ page: 'projects' });

  const design = useMemo(() => {
    if (!db || !userId || !db.collections.designActions || !db.collections.designEnvironments) return null;
    return createDesign({ db, userId, roles });
  }, [db, userId, roles]);

  // The shell passes a fresh callback each render; the notice centre must not be rebuilt for that.
  const onShowRef = useRef(onShow);
  onShowRef.current = onShow;
  const open = useCallback((next: DesignRoute) => {
    setRoute(next);
    onShowRef.current();
  }, []);

  const center = useMemo(() => {
    if (!design || !userId) return null;
    return new NoticeCenter(window.localStorage, userId, {
      show: (notice) => {
        const t = i18next.t.bind(i18next);
        notifications.show({
          id: `design-notice-${notice.id}`,
          color: 'yellow',
          autoClose: 15_000,
          title: t('design.notice.title', { name: notice.environmentName }),
          message: (
            <Stack gap={6} align="flex-start" data-testid={TEST_IDS.design.notice} data-environment-id={notice.environmentId} data-revision={notice.designRevision} data-done="false">
              <Text size="sm">{t('design.notice.body', { revision: notice.designRevision, option: notice.optionName ?? '' })}</Text>
              <Button
                size="compact-xs"
                data-testid={TEST_IDS.design.noticeOpen}
                onClick={() => {
                  notifications.hide(`design-notice-${notice.id}`);
                  open({ page: 'environment', environmentId: notice.environmentId, showUpdate: true });
                }}
              >
                {t('design.notice.update')}
              </Button>
            </Stack>
          ),
        });
      },
      native: (notice) => getBridge().notify(i18next.t('design.notice.title', { name: notice.environmentName }), i18next.t('design.notice.nativeBody')),
      open: (notice) => open({ page: 'environment', environmentId: notice.environmentId, showUpdate: true }),
      settled: (notice) => notifications.hide(`design-notice-${notice.id}`),
      summary: (count) => {
        const t = i18next.t.bind(i18next);
        notifications.show({ color: 'yellow', autoClose: 15_000, title: t('design.notice.more', { count }), message: t('design.notice.moreBody') });
        void getBridge().notify(t('design.notice.more', { count }), t('design.notice.moreBody'));
      },
    });
  }, [design, userId, open]);

  // "Negotiate" in the design software opens the environment, or the review once converted (DES-06).
  useEffect(() => {
    if (!design) return;
    return getBridge().onOpenLink((link) => {
      const target = designLinkTarget(link);
      if (target?.kind === 'environment') open({ page: 'environment', environmentId: target.environmentId });
      else if (target?.kind === 'review') open({ page: 'review', projectId: target.projectId });
    });
  }, [design, open]);

  const notices = useObservable(center?.notices ?? NO_NOTICES, center?.current ?? []) ?? [];
  const [projects, setProjects] = useState<DesignProject[]>([]);
  const [environments, setEnvironments] = useState<DesignEnvironmentDoc[]>([]);
  const [actions, setActions] = useState<DesignAction[]>([]);

  useEffect(() => {
    if (!design) return;
    const isAdmin = roles.includes('admin');
    const live = combineLatest([design.projects$(), design.environments$()]).subscribe(([projectList, envList]) => {
      setProjects(projectList);
      setEnvironments(envList);
      center?.observe(envList, new Map(projectList.map((project) => [project.id, project])), isAdmin);
    });
    const mine = design.actions$().subscribe(setActions);
    return () => {
      live.unsubscribe();
      mine.unsubscribe();
    };
  }, [design, center, roles]);

  const value: DesignContextValue = {
    design,
    route,
    open,
    notices,
    dismiss: (id) => center?.dismiss(id),
    projects,
    environments,
    actions,
  };
  return <DesignContext.Provider value={value}>{children}</DesignContext.Provider>;
}

/** The sentence for any error a design operation raises. */
export function useDesignErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof DesignError) return t(`design.errors.${error.code}`);
    if (error instanceof CoreError) {
      const detail = serverMessageOf(error);
      // A 4xx the server explains (e.g. a CNPJ that is not the store's): its sentence says what to fix.
      if (error.code === 'unexpected' && detail && statusOf(error) !== null) return t('design.errors.invalid_input', { detail });
      return t(`errors.${error.code}`);
    }
    return t('errors.unexpected');
  };
}
