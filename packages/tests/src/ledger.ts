/**
 * A write load that keeps a ledger, to prove that nothing acknowledged is lost and nothing is
 * applied twice. Every operation adds +1 to one of a set of users. With `keyed`, each operation
 * has its own Idempotency-Key and is retried with that key until it is acknowledged, so the final
 * total of every user must equal its acknowledged count exactly. Without keys, an operation whose
 * answer never came is "unknown": the total must lie between acknowledged and acknowledged +
 * unknown.
 */

/** How to drive the load. */
export interface LedgerLoadOptions {
  /** Base URLs to spread requests over (clients directly, or nginx). */
  urls: string[];
  durationMs: number;
  concurrency: number;
  /** Users are `${prefix}0` … `${prefix}${users-1}`. */
  users: number;
  prefix: string;
  keyed: boolean;
  /** Keyed operations are retried until acknowledged, but not past this long after the load. */
  settleMs?: number;
  /** Called once per attempt that did not get a 200, with the status (0: no answer). */
  onFailure?: (status: number) => void;
  /** Called once per acknowledged write, when its 200 came. */
  onAck?: () => void;
  /** Write to this board (PUT /boards/:board/scores) instead of the original PUT /score. */
  board?: string;
  /** Headers of every write (an Authorization with keys on). */
  headers?: Record<string, string>;
}

/** What the load saw. */
export interface Ledger {
  acked: Map<string, number>;
  unknown: Map<string, number>;
  attempts: number;
  failures: number;
  statuses: Map<number, number>;
}

/** Totals compared with the ledger. */
export interface LedgerCheck {
  acknowledged: number;
  found: number;
  lost: number;
  duplicated: number;
  unknown: number;
}

const bump = (m: Map<string | number, number>, k: string | number): void =>
  void m.set(k, (m.get(k) ?? 0) + 1);

/** The write route of a board, or the original one. */
const writePath = (board: string | undefined): string => (board ? `/boards/${board}/scores` : '/score');
/** The read route of a user on a board, or the original one. */
const readPath = (board: string | undefined, user: string): string =>
  board ? `/boards/${board}/users/${user}` : `/users/${user}`;

async function attempt(
  url: string,
  path: string,
  user: string,
  key: string | undefined,
  headers: Record<string, string> = {},
): Promise<number> {
  try {
    const res = await fetch(`${url}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify({ user, score: '+1' }),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Runs the load for `durationMs` (plus settling of keyed retries); answers the ledger. */
export async function runLedgerLoad(o: LedgerLoadOptions): Promise<Ledger> {
  const ledger: Ledger = {
    acked: new Map(),
    unknown: new Map(),
    attempts: 0,
    failures: 0,
    statuses: new Map(),
  };
  const end = Date.now() + o.durationMs;
  const giveUp = end + (o.settleMs ?? 20_000);
  let rr = 0;
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; Date.now() < end; n++) {
      const user = `${o.prefix}${(w * 7 + n) % o.users}`;
      const key = o.keyed ? `${o.prefix}-${w}-${n}` : undefined;
      for (;;) {
        ledger.attempts++;
        const status = await attempt(o.urls[rr++ % o.urls.length]!, writePath(o.board), user, key, o.headers);
        bump(ledger.statuses, status);
        if (status === 200) {
          bump(ledger.acked, user);
          o.onAck?.();
          break;
        }
        ledger.failures++;
        o.onFailure?.(status);
        if (!key || Date.now() > giveUp) {
          bump(ledger.unknown, user);
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  return ledger;
}

/** Reads every user's total (through `url`) and compares it with the ledger. */
export async function checkLedger(
  url: string,
  ledger: Ledger,
  users: number,
  prefix: string,
  board?: string,
): Promise<LedgerCheck> {
  const check: LedgerCheck = { acknowledged: 0, found: 0, lost: 0, duplicated: 0, unknown: 0 };
  for (let i = 0; i < users; i++) {
    const user = `${prefix}${i}`;
    // Right after an outage a client may answer 503 (with Retry-After) until it reaches the ranking
    // server again: a reader retries, as any client of the API would.
    let res = await fetch(`${url}${readPath(board, user)}`, { signal: AbortSignal.timeout(5000) });
    for (let tries = 0; res.status === 503 && tries < 40; tries++) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 250));
      res = await fetch(`${url}${readPath(board, user)}`, { signal: AbortSignal.timeout(5000) });
    }
    if (res.status !== 200 && res.status !== 404)
      throw new Error(`reading ${user}: ${res.status} ${await res.text()}`);
    const total = res.status === 404 ? 0 : ((await res.json()) as { total: number }).total;
    const acked = ledger.acked.get(user) ?? 0;
    const unknown = ledger.unknown.get(user) ?? 0;
    check.acknowledged += acked;
    check.found += total;
    check.unknown += unknown;
    check.lost += Math.max(0, acked - total);
    check.duplicated += Math.max(0, total - acked - unknown);
  }
  return check;
}
