/**
 * "Ambiente X alterado — atualize" (DES-05): every save the design software announces raises the
 * environment's latestDesignRevision; this device turns each raise it sees into one notice, in the app
 * and through the host's native notification. What was already announced is remembered per user, so a
 * reload does not repeat a notice and a save that arrived while the device was away still gets one.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { DesignEnvironmentDoc, DesignProject } from '../../../sync/schema/index.ts';
import type { KeyValueStorage } from '../offline-login.ts';
import { isOutdated, newestVersion } from './view.ts';

export interface DesignNotice {
  /** environmentId:revision — one notice per announced save. */
  id: string;
  environmentId: string;
  projectId: string;
  environmentName: string;
  designRevision: number;
  optionName?: string;
  /** Device time the notice was raised. */
  at: string;
  /** Set once the environment was updated to this revision or beyond (or the user dismissed it). */
  doneAt?: string;
}

export type SeenRevisions = Record<string, number>;

/** Is this project the user's business: their own, the one they review, or any for an admin. */
export function concernsUser(project: DesignProject | undefined, userId: string, isAdmin: boolean): boolean {
  if (isAdmin || !project) return true;
  return project.designerUserId === userId || project.reviewerUserId === userId;
}

/**
 * New notices for the environments as they are now. An environment seen for the first time notifies
 * only if it waits for an update (a save arrived while away); afterwards every raise that leaves it
 * outdated notifies. Pure: returns the notices and the revisions to remember.
 */
export function detectSaves(
  seen: SeenRevisions,
  environments: readonly DesignEnvironmentDoc[],
  relevant: (env: DesignEnvironmentDoc) => boolean,
  at: string,
): { notices: DesignNotice[]; seen: SeenRevisions } {
  const next: SeenRevisions = { ...seen };
  const notices: DesignNotice[] = [];
  for (const env of environments) {
    const previous = seen[env.id];
    next[env.id] = Math.max(previous ?? 0, env.latestDesignRevision);
    const raised = previous === undefined ? env.latestDesignRevision > 0 : env.latestDesignRevision > previous;
    if (!raised || !isOutdated(env) || !relevant(env)) continue;
    notices.push({
      id: `${env.id}:${env.latestDesignRevision}`,
      environmentId: env.id,
      projectId: env.projectId,
      environmentName: env.name,
      designRevision: env.latestDesignRevision,
      ...(env.latestSave?.optionName ? { optionName: env.latestSave.optionName } : {}),
      at,
    });
  }
  return { notices, seen: next };
}

/** Marks notices whose environment now holds a version at least as new as the announced save. */
export function settleNotices(notices: readonly DesignNotice[], environments: ReadonlyMap<string, DesignEnvironmentDoc>, at: string): DesignNotice[] {
  let changed = false;
  const settled = notices.map((notice) => {
    if (notice.doneAt) return notice;
    const env = environments.get(notice.environmentId);
    const newest = env ? newestVersion(env) : undefined;
    if (!newest || newest.designRevision < notice.designRevision) return notice;
    changed = true;
    return { ...notice, doneAt: at };
  });
  return changed ? settled : (notices as DesignNotice[]);
}

const MAX_NOTICES = 200;
/**
 * A burst (the first login after days away, a whole project saved at once) gets this many pop-ups and
 * one summary for the rest, not a pop-up per environment; every notice still lands in the list.
 */
export const MAX_POPUPS_AT_ONCE = 3;

export interface NoticeSink {
  /** The in-app toast; `open` takes the user to the environment's update. */
  show(notice: DesignNotice): void;
  /** The native notification; resolves true when clicked. */
  native(notice: DesignNotice): Promise<boolean>;
  open(notice: DesignNotice): void;
  /** The environment was updated: the notice's toast may go. */
  settled?(notice: DesignNotice): void;
  /** `count` more environments changed in the same burst than got their own pop-up. */
  summary(count: number): void;
}

/** Keeps the notices of one user, persisted, and raises new ones as environments change. */
export class NoticeCenter {
  private readonly notices$: BehaviorSubject<DesignNotice[]>;
  /** One observable for the centre's life, so subscribers (React) keep a stable reference. */
  readonly notices: Observable<DesignNotice[]>;
  private seen: SeenRevisions;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly userId: string,
    private readonly sink: NoticeSink,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.notices$ = new BehaviorSubject<DesignNotice[]>(this.read<DesignNotice[]>('notices') ?? []);
    this.notices = this.notices$.asObservable();
    this.seen = this.read<SeenRevisions>('seen') ?? {};
  }


  get current(): DesignNotice[] {
    return this.notices$.value;
  }

  /** Called with every state of the environments and projects collections. */
  observe(environments: readonly DesignEnvironmentDoc[], projects: ReadonlyMap<string, DesignProject>, isAdmin: boolean): void {
    const at = this.now().toISOString();
    const ready = environments.filter((env) => env.status === 'ready');
    const { notices, seen } = detectSaves(this.seen, ready, (env) => concernsUser(projects.get(env.projectId), this.userId, isAdmin), at);
    if (Object.keys(seen).some((id) => seen[id] !== this.seen[id])) this.write('seen', seen);
    this.seen = seen;
    const byId = new Map(environments.map((env) => [env.id, env]));
    const known = new Set(this.current.map((notice) => notice.id));
    const fresh = notices.filter((notice) => !known.has(notice.id));
    const list = settleNotices([...fresh, ...this.current], byId, at).slice(0, MAX_NOTICES);
    if (list !== this.current || fresh.length > 0) {
      const before = new Map(this.current.map((notice) => [notice.id, notice]));
      this.publish(list);
      for (const notice of list) if (notice.doneAt && before.has(notice.id) && !before.get(notice.id)!.doneAt) this.sink.settled?.(notice);
    }
    const popups = fresh.slice(0, MAX_POPUPS_AT_ONCE);
    for (const notice of popups) {
      this.sink.show(notice);
      void this.sink.native(notice).then((clicked) => clicked && this.sink.open(notice), () => undefined);
    }
    if (fresh.length > popups.length) this.sink.summary(fresh.length - popups.length);
  }

  dismiss(id: string): void {
    const at = this.now().toISOString();
    this.publish(this.current.map((notice) => (notice.id === id && !notice.doneAt ? { ...notice, doneAt: at } : notice)));
    const dismissed = this.current.find((notice) => notice.id === id);
    if (dismissed) this.sink.settled?.(dismissed);
  }

  private publish(list: DesignNotice[]): void {
    this.write('notices', list);
    this.notices$.next(list);
  }

  private read<T>(what: string): T | null {
    try {
      const raw = this.storage.getItem(`balcao.design.${what}.${this.userId}`);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  private write(what: string, value: unknown): void {
    try {
      this.storage.setItem(`balcao.design.${what}.${this.userId}`, JSON.stringify(value));
    } catch {
      // A full localStorage loses only the memory of notices, never data; the environments still show the yellow mark.
    }
  }
}
