/**
 * Live boards: the server-sent event streams of `GET /boards/:board/events`. The client subscribes
 * (ZeroMQ SUB) to the ranking server's change notices of the boards its browsers watch; on a
 * notice it reads what the streams need through the ordinary request path — the top N once per
 * distinct N when the board's top version moved, each watched player once — and pushes to each
 * stream only what changed: `event: top` (the rows, as `GET /boards/:board/top/:n` answers them)
 * and `event: player` (as `GET /boards/:board/users/:user`, or `null` once the player has no
 * entry). Notices come at most five times a second per board, and a board's reads never overlap:
 * a notice during a refresh makes one more refresh after it. So the write path pays nothing per
 * stream, and a client with thousands of streams does one read per board and N per notice.
 */
import { Command, ScoreboardError, type UserId } from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { Subscriber } from 'zeromq';
import type { RankingApi } from '../ranking-client.js';

/** What a stream watches, and where it writes. */
export interface Stream {
  readonly n: number;
  readonly user: UserId | undefined;
  /** Writes one SSE message (already framed). */
  write(text: string): void;
  /** Ends the stream (the client is stopping). */
  end(): void;
}

/** One board's streams and what they were last sent. */
interface Feed {
  streams: Set<Stream>;
  topVersion: number | undefined;
  /** The last top page sent, by N. */
  tops: Map<number, string>;
  /** The last standing sent, by player. */
  players: Map<string, string>;
  refreshing: boolean;
  again: boolean;
}

/** How long a failed refresh waits before the next try. */
const RETRY_MS = 250;

/** O(1). One SSE message. */
export function sseMessage(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** The live boards of one client process. */
export class LiveBoards {
  private readonly feeds = new Map<string, Feed>();
  /** What each stream was last sent, so it is never sent the same twice in a row. */
  private readonly sent = new WeakMap<Stream, { top?: string; player?: string }>();
  /** Made by start(): unstarted (tests), streams get their first messages and no updates. */
  private sub: Subscriber | undefined;
  /** Endpoints added since the start (failovers). */
  private readonly extra = new Set<string>();
  private streamCount = 0;
  private running = false;
  private stopped = false;
  private loop: Promise<void> | undefined;

  /** O(1). */
  constructor(
    private readonly ranking: RankingApi,
    /** Each shard's change notices (one SUB socket connects to them all). */
    private readonly endpoints: readonly string[],
    private readonly log: Logger,
  ) {}

  /** O(1). Open streams on this client. */
  get streams(): number {
    return this.streamCount;
  }

  /** Connects to the notices and starts the receive loop. */
  start(): void {
    const sub = new Subscriber({ linger: 0, receiveHighWaterMark: 10_000 });
    for (const endpoint of [...this.endpoints, ...this.extra]) sub.connect(endpoint);
    for (const board of this.feeds.keys()) sub.subscribe(`${board}\n`);
    this.sub = sub;
    this.running = true;
    this.loop = this.receive(sub);
  }

  /** O(streams). Ends every stream: a stopping client does not wait for browsers to leave. */
  endAll(): void {
    for (const feed of [...this.feeds.values()]) for (const stream of [...feed.streams]) stream.end();
  }

  /** Closes the socket and ends the loop. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    this.sub?.close();
    await this.loop;
  }

  /**
   * O(1) + the first reads. Adds a stream and sends it the current top N (and the watched
   * player's standing) at once; answers the function that removes it.
   */
  async open(board: string, stream: Stream): Promise<() => void> {
    let feed = this.feeds.get(board);
    if (!feed) {
      feed = {
        streams: new Set(),
        topVersion: undefined,
        tops: new Map(),
        players: new Map(),
        refreshing: false,
        again: false,
      };
      this.feeds.set(board, feed);
      this.sub?.subscribe(`${board}\n`);
    }
    feed.streams.add(stream);
    this.streamCount++;
    const first = feed;
    this.sent.set(stream, {});
    const version = feed.topVersion;
    this.send(stream, 'top', await this.top(board, stream.n));
    if (stream.user !== undefined) this.send(stream, 'player', await this.standing(board, stream.user));
    // A notice during these first reads may have refreshed the other streams past what this one
    // was sent: it gets the newer page, or one more refresh reads it.
    if (feed.topVersion !== version) {
      const newer = feed.tops.get(stream.n);
      if (newer !== undefined) this.send(stream, 'top', newer);
      else this.notice(board, feed.topVersion ?? -1);
    }
    return () => {
      if (!first.streams.delete(stream)) return;
      this.streamCount--;
      if (first.streams.size === 0 && this.feeds.get(board) === first) {
        this.feeds.delete(board);
        this.sub?.unsubscribe(`${board}\n`);
      }
    };
  }

  /** O(1). Also hears the change notices published at `endpoint` (a shard's new primary). */
  addEndpoint(endpoint: string): void {
    if (this.extra.has(endpoint) || this.endpoints.includes(endpoint)) return;
    this.extra.add(endpoint);
    this.sub?.connect(endpoint);
  }

  private async receive(sub: Subscriber): Promise<void> {
    while (this.running) {
      let frames: Buffer[];
      try {
        frames = await sub.receive();
      } catch (err) {
        if (this.running) this.log.warn({ err }, 'change notices: receive failed');
        return;
      }
      try {
        const notice = JSON.parse(String(frames[1])) as { board: string; top: number };
        this.notice(notice.board, notice.top);
      } catch (err) {
        this.log.warn({ err }, 'change notices: a malformed notice');
      }
    }
  }

  /** O(1). A board changed: refresh its streams, one refresh at a time. */
  private notice(board: string, topVersion: number): void {
    const feed = this.feeds.get(board);
    if (!feed) return;
    const topMoved = feed.topVersion !== topVersion;
    feed.topVersion = topVersion;
    if (topMoved) feed.tops.clear();
    if (feed.refreshing) {
      feed.again = true;
      return;
    }
    void this.refresh(board, feed);
  }

  /** O(distinct N + watched players) reads. Sends each stream what changed since its last message. */
  private async refresh(board: string, feed: Feed): Promise<void> {
    feed.refreshing = true;
    try {
      do {
        feed.again = false;
        // The top version these reads answer for: a notice that moves it while they are on
        // their way makes them stale, and they must not be kept as the pages of the new version.
        const version = feed.topVersion;
        const ns = new Set<number>();
        const users = new Map<string, UserId>();
        for (const s of feed.streams) {
          if (!feed.tops.has(s.n)) ns.add(s.n);
          if (s.user !== undefined) users.set(String(s.user), s.user);
        }
        // All at once: the ranking client sends them to the server in a few batched messages.
        const [topPages, nows] = await Promise.all([
          Promise.all([...ns].map(async (n) => [n, await this.top(board, n)] as const)),
          Promise.all([...users].map(async ([id, user]) => [id, await this.standing(board, user)] as const)),
        ]);
        const tops = new Map<number, string>(topPages);
        const standings = new Map<string, string>();
        for (const [id, now] of nows) if (feed.players.get(id) !== now) standings.set(id, now);
        if (feed.topVersion === version) for (const [n, top] of tops) feed.tops.set(n, top);
        for (const [user, standing] of standings) feed.players.set(user, standing);
        for (const s of feed.streams) {
          const top = tops.get(s.n);
          if (top !== undefined) this.send(s, 'top', top);
          const standing = s.user === undefined ? undefined : standings.get(String(s.user));
          if (standing !== undefined) this.send(s, 'player', standing);
        }
      } while (feed.again && this.feeds.get(board) === feed);
    } catch (err) {
      // The streams may now be behind: forget what was read, and try again shortly.
      this.log.warn({ err, board }, 'live board: refresh failed');
      feed.topVersion = undefined;
      feed.tops.clear();
      feed.players.clear();
      setTimeout(() => {
        if (!this.stopped && this.feeds.get(board) === feed) this.notice(board, -1);
      }, RETRY_MS).unref();
    } finally {
      feed.refreshing = false;
    }
  }

  /** O(data). Writes `data` as `event` unless it is what the stream was last sent of it. */
  private send(stream: Stream, event: 'top' | 'player', data: string): void {
    const last = this.sent.get(stream);
    if (!last || last[event] === data) return;
    last[event] = data;
    stream.write(sseMessage(event, data));
  }

  private async top(board: string, n: number): Promise<string> {
    return Buffer.from(await this.ranking.callRaw(Command.BoardTop, { board, n })).toString();
  }

  /** The player's standing as JSON, or `null` when they have no entry. */
  private async standing(board: string, user: UserId): Promise<string> {
    try {
      return Buffer.from(await this.ranking.callRaw(Command.BoardUser, { board, user })).toString();
    } catch (err) {
      if (err instanceof ScoreboardError && err.status === 404) return 'null';
      throw err;
    }
  }
}
