/**
 * The designer's link to the design software as the device keeps it (DES-02): the server's answer is
 * cached per user so the green mark or "link again" still shows offline; a wrong design password is the
 * user's to fix, not an expired session.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../sync/client/index.ts';
import { CoreError } from '../../renderer/core/errors.ts';
import { DesignError } from '../../renderer/core/design/errors.ts';
import { lastKnownLink, linkDesignUser, openUrl, readLink, readPortalAccount, type Request } from '../../renderer/core/design/link.ts';

function memoryStorage() {
  const store = new Map<string, string>();
  return { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
}

const offline: Request = async () => {
  throw new CoreError('server_unreachable', 'down', { cause: new ApiError('network', 'down') });
};
const answering =
  (answers: Record<string, unknown>, calls: { method: string; path: string; body?: unknown }[] = []): Request =>
  async <T,>(method: string, path: string, body?: unknown) => {
    calls.push({ method, path, body });
    const answer = answers[`${method} ${path}`];
    if (answer instanceof Error) throw answer;
    return answer as T;
  };

describe('design link on the device', () => {
  it('DES-02 remembers the last answer per user and shows it offline, marked as cached', async () => {
    const storage = memoryStorage();
    const online = await readLink(answering({ 'GET /api/design/link': { status: 'linked', designUserName: 'Paulo (design)' } }), storage, 'u1');
    expect(online).toMatchObject({ status: 'linked', designUserName: 'Paulo (design)', cached: false });
    const whileOffline = await readLink(offline, storage, 'u1');
    expect(whileOffline).toMatchObject({ status: 'linked', designUserName: 'Paulo (design)', cached: true });
    expect(await readLink(offline, storage, 'u2')).toMatchObject({ status: 'unlinked', cached: true });
    await readLink(answering({ 'GET /api/design/link': { status: 'relink', designUserName: 'Paulo (design)' } }), storage, 'u1');
    expect(lastKnownLink(storage, 'u1')?.status).toBe('relink');
  });

  it('DES-02 a wrong design password is reported as such; the right one links and is remembered', async () => {
    const storage = memoryStorage();
    const wrong = new CoreError('unexpected', 'wrong', { cause: new ApiError('invalid_credentials', 'The user or password of the design software is wrong.', 400) });
    await expect(linkDesignUser(answering({ 'POST /api/design/link': wrong }), storage, 'u1', 'paulo', 'x')).rejects.toEqual(new DesignError('wrong_design_credentials'));
    await expect(linkDesignUser(answering({}), storage, 'u1', ' ', 'x')).rejects.toBeInstanceOf(DesignError);
    const calls: { method: string; path: string; body?: unknown }[] = [];
    const linked = await linkDesignUser(answering({ 'POST /api/design/link': { status: 'linked', designUserName: 'Paulo' } }, calls), storage, 'u1', ' paulo ', 'secret');
    expect(linked.status).toBe('linked');
    expect(calls[0]?.body).toEqual({ login: 'paulo', password: 'secret' });
    expect(lastKnownLink(storage, 'u1')?.designUserName).toBe('Paulo');
    // Offline the server is not asked; the error is the core's own.
    await expect(linkDesignUser(offline, storage, 'u1', 'paulo', 'secret')).rejects.toMatchObject({ code: 'server_unreachable' });
  });

  it('DES-01 DES-10 a store without a portal account reads as none; the open link asks for the chosen version', async () => {
    const missing = new CoreError('unexpected', 'none', { cause: new ApiError('not_found', 'none', 404) });
    expect(await readPortalAccount(answering({ 'GET /api/design/portal-account': missing }))).toBeNull();
    const calls: { method: string; path: string }[] = [];
    const url = await openUrl(answering({ 'GET /api/design/environments/env%201/open-url?version=2': { url: 'http://portal/open?x=1' } }, calls), 'env 1', 2);
    expect(url).toBe('http://portal/open?x=1');
  });
});
