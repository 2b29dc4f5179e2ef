import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 between the stations and the server that cuts HTTP/1.1 exchanges at a
 * chosen phase. It reads just enough of each request (head, Content-Length) to know where requests
 * begin and end on a kept-alive connection; the client never pipelines, so the first bytes the server
 * sends after a request was forwarded whole are that request's answer.
 *
 * - before-request: the request's head arrived; nothing of it is forwarded, the connection is reset.
 * - mid-request:    the head and half of the body are forwarded, then both sides are cut.
 * - after-commit:   the whole request is forwarded; when the server starts answering (it answers a
 *                   push after its transaction committed) the answer is dropped and the connection reset.
 * - mid-answer:     the answer's head and half of its body reach the client, then the connection ends.
 *
 * Each station has its own listening port, so one station can be taken offline (every connection of it
 * reset, new ones refused) while the others keep working.
 */
export const CUT_PHASES = ['before-request', 'mid-request', 'after-commit', 'mid-answer'] as const;
export type CutPhase = (typeof CUT_PHASES)[number];

export interface RequestHead {
  station: string;
  method: string;
  path: string;
  bodyLength: number;
}

export interface ProxyStats {
  connections: number;
  requests: number;
  pushes: number;
  cuts: Record<CutPhase, number>;
  /** Connections reset because their station was offline. */
  offlineDrops: number;
  /** Connections the server did not accept (killed, restarting). */
  upstreamRefused: number;
  /** First line of each answer seen, by status code. */
  statuses: Record<string, number>;
}

interface ArmedCut {
  phase: CutPhase;
  matches(head: RequestHead): boolean;
}

export const isPush = (head: RequestHead): boolean => head.method === 'POST' && head.path.includes('/push') && head.bodyLength >= 2;
export const isPull = (head: RequestHead): boolean => head.method === 'GET' && head.path.includes('/pull');

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

export class FaultProxy {
  readonly stats: ProxyStats = {
    connections: 0,
    requests: 0,
    pushes: 0,
    cuts: { 'before-request': 0, 'mid-request': 0, 'after-commit': 0, 'mid-answer': 0 },
    offlineDrops: 0,
    upstreamRefused: 0,
    statuses: {},
  };
  /** Called when a push request was forwarded whole (a kill may be aimed at the transaction it starts). */
  onPushForwarded: ((head: RequestHead) => void) | null = null;
  onCut: ((phase: CutPhase, head: RequestHead) => void) | null = null;

  private readonly servers = new Map<string, net.Server>();
  private readonly sockets = new Map<string, Set<net.Socket>>();
  private readonly offline = new Set<string>();
  private readonly armed: ArmedCut[] = [];

  constructor(private readonly upstreamPort: number) {}

  /** A listening port for one station; its sync client talks to http://127.0.0.1:<port>. */
  async addStation(station: string): Promise<number> {
    const server = net.createServer((socket) => this.accept(station, socket));
    this.servers.set(station, server);
    this.sockets.set(station, new Set());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** The next request that `matches` (on any station) is cut at `phase`. */
  arm(phase: CutPhase, matches: (head: RequestHead) => boolean): void {
    this.armed.push({ phase, matches });
  }

  get pendingCuts(): number {
    return this.armed.length;
  }

  get cutsApplied(): number {
    return Object.values(this.stats.cuts).reduce((sum, count) => sum + count, 0);
  }

  setOffline(station: string, offline: boolean): void {
    if (!offline) {
      this.offline.delete(station);
      return;
    }
    this.offline.add(station);
    for (const socket of this.sockets.get(station) ?? []) reset(socket);
  }

  async close(): Promise<void> {
    for (const set of this.sockets.values()) for (const socket of set) socket.destroy();
    await Promise.all([...this.servers.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private takeCut(head: RequestHead): ArmedCut | null {
    const index = this.armed.findIndex((cut) => cut.matches(head));
    if (index === -1) return null;
    return this.armed.splice(index, 1)[0]!;
  }

  /** A cut whose connection died before the cut could happen (the server was killed meanwhile) waits for the next request. */
  private rearm(cut: ArmedCut): void {
    this.armed.unshift(cut);
  }

  private cut(phase: CutPhase, head: RequestHead): void {
    this.stats.cuts[phase]++;
    this.onCut?.(phase, head);
  }

  private accept(station: string, client: net.Socket): void {
    this.stats.connections++;
    if (this.offline.has(station)) {
      this.stats.offlineDrops++;
      reset(client);
      return;
    }
    const tracked = this.sockets.get(station)!;
    const upstream = net.connect({ host: '127.0.0.1', port: this.upstreamPort });
    tracked.add(client);
    tracked.add(upstream);
    // The client's bytes are read once the server accepted the connection, so every request seen has a live peer.
    client.pause();
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      client.resume();
    });
    /** The cut this connection took and has not carried out yet. */
    let taken: ArmedCut | null = null;
    const closeBoth = () => {
      tracked.delete(client);
      tracked.delete(upstream);
      client.destroy();
      upstream.destroy();
      if (taken) this.rearm(taken);
      taken = null;
    };
    const carryOut = (phase: CutPhase, head: RequestHead) => {
      taken = null;
      this.cut(phase, head);
    };
    upstream.on('error', () => {
      if (!connected) this.stats.upstreamRefused++;
      reset(client);
      upstream.destroy();
    });
    client.on('error', () => upstream.destroy());
    client.on('close', closeBoth);
    upstream.on('close', () => {
      // The server closed (idle keep-alive, or it died): the client sees the connection end.
      if (!client.destroyed) client.end();
      setTimeout(closeBoth, 1000).unref();
    });

    // Request side.
    let mode: 'head' | 'body' | 'through' = 'head';
    let pending: Buffer = Buffer.alloc(0);
    let current: { head: RequestHead; phase: CutPhase | null; forwarded: number; left: number } | null = null;
    let done = false;
    // Answer side.
    let answerCut: 'drop' | 'partial' | null = null;
    let answerHead: RequestHead | null = null;
    let awaitingAnswer = false;
    let answerBuffer: Buffer = Buffer.alloc(0);
    let partialTimer: NodeJS.Timeout | undefined;

    const finishRequest = () => {
      const request = current!;
      current = null;
      mode = 'head';
      awaitingAnswer = true;
      answerHead = request.head;
      answerCut = request.phase === 'after-commit' ? 'drop' : request.phase === 'mid-answer' ? 'partial' : null;
      if (isPush(request.head)) this.onPushForwarded?.(request.head);
    };

    const feed = (input: Buffer) => {
      let chunk: Buffer = input;
      while (chunk.length > 0 && !done) {
        if (mode === 'through') {
          upstream.write(chunk);
          return;
        }
        if (mode === 'head') {
          pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
          chunk = Buffer.alloc(0);
          const end = pending.indexOf(HEAD_END);
          if (end === -1) {
            if (pending.length > MAX_HEAD) {
              mode = 'through';
              upstream.write(pending);
              pending = Buffer.alloc(0);
            }
            return;
          }
          const headBytes = pending.subarray(0, end + 4);
          chunk = pending.subarray(end + 4);
          pending = Buffer.alloc(0);
          const parsed = parseRequestHead(headBytes.toString('latin1'));
          const head: RequestHead = { station, method: parsed.method, path: parsed.path, bodyLength: parsed.contentLength ?? 0 };
          this.stats.requests++;
          if (isPush(head)) this.stats.pushes++;
          if (parsed.chunked) {
            // Not sent by the sync client (its bodies are strings); forwarded untouched, never cut.
            mode = 'through';
            upstream.write(headBytes);
            continue;
          }
          // Only a connection the server accepted is cut: a cut must hit a live exchange.
          taken = connected && !this.offline.has(station) ? this.takeCut(head) : null;
          const phase = taken?.phase ?? null;
          if (phase === 'before-request') {
            carryOut(phase, head);
            done = true;
            reset(client);
            upstream.destroy();
            return;
          }
          upstream.write(headBytes);
          current = { head, phase, forwarded: 0, left: head.bodyLength };
          mode = 'body';
          if (current.left === 0) finishRequest();
          continue;
        }
        // mode === 'body'
        const request = current!;
        const take = Math.min(request.left, chunk.length);
        let part = chunk.subarray(0, take);
        chunk = chunk.subarray(take);
        if (request.phase === 'mid-request') {
          const allowed = Math.floor(request.head.bodyLength / 2) - request.forwarded;
          if (part.length >= allowed) {
            part = part.subarray(0, allowed);
            carryOut('mid-request', request.head);
            done = true;
            // The server reads half a body, then the end of the connection.
            upstream.end(part);
            reset(client);
            return;
          }
        }
        upstream.write(part);
        request.forwarded += part.length;
        request.left -= take;
        if (request.left === 0) finishRequest();
      }
    };
    client.on('data', feed);

    const sendPartialAnswer = () => {
      clearTimeout(partialTimer);
      if (done) return;
      done = true;
      const end = answerBuffer.indexOf(HEAD_END);
      const keep = end === -1 ? Math.floor(answerBuffer.length / 2) : end + 4 + Math.floor((answerBuffer.length - end - 4) / 2);
      carryOut('mid-answer', answerHead!);
      upstream.destroy();
      client.end(answerBuffer.subarray(0, keep));
    };

    upstream.on('data', (chunk: Buffer) => {
      if (done) return;
      if (awaitingAnswer) {
        awaitingAnswer = false;
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.subarray(0, 16).toString('latin1'))?.[1] ?? 'unreadable';
        this.stats.statuses[status] = (this.stats.statuses[status] ?? 0) + 1;
      }
      if (answerCut === 'drop') {
        // The server has answered, so its transaction is over: the client never hears of it.
        done = true;
        carryOut('after-commit', answerHead!);
        reset(client);
        upstream.destroy();
        return;
      }
      if (answerCut === 'partial') {
        answerBuffer = Buffer.concat([answerBuffer, chunk]);
        const end = answerBuffer.indexOf(HEAD_END);
        if (end !== -1 && answerBuffer.length - end - 4 >= 2) sendPartialAnswer();
        else if (!partialTimer) partialTimer = setTimeout(sendPartialAnswer, 200);
        return;
      }
      client.write(chunk);
    });
  }
}

function reset(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function' && !socket.connecting) socket.resetAndDestroy();
  else socket.destroy();
}

function parseRequestHead(text: string): { method: string; path: string; contentLength: number | null; chunked: boolean } {
  const lines = text.split('\r\n');
  const [method = '', path = ''] = (lines[0] ?? '').split(' ');
  let contentLength: number | null = null;
  let chunked = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') contentLength = Number(value);
    if (name === 'transfer-encoding' && /chunked/i.test(value)) chunked = true;
  }
  return { method, path, contentLength, chunked };
}
