/**
 * The reference model: what the ranking server answers to every command, written as plainly as
 * possible — an array of rows sorted on every read, a counter for ties, a map of idempotency keys —
 * so that it is right by inspection. It is slow on purpose (O(n log n) per read) and has no
 * persistence, caches or limits beyond the contract's.
 *
 * Arguments are taken as the codec leaves them (validated, canonical). An answer is the result the
 * server would serialise, or the catalogue code of its error.
 */
import {
  Command,
  ErrorCode,
  MAX_TOTAL,
  type ArgsOf,
  type CommandName,
  type Entry,
  type RankedEntry,
  type ResultOf,
  type UserId,
} from '@scoreboard/protocol';

/** What the model answers to one command. */
export type ModelAnswer<C extends CommandName = CommandName> =
  { ok: true; result: ResultOf<C> } | { ok: false; code: ErrorCode };

interface Row {
  user: UserId;
  total: number;
  seq: number;
}

/** Thrown inside the model to answer a catalogue error. */
class Refusal extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

/** The ranking server's semantics, naively. */
export class ReferenceModel {
  private rows: Row[] = [];
  private seq = 0;
  private readonly keys = new Map<string, { fingerprint: string; result: unknown }>();

  /** O(1). Users on the board. */
  get size(): number {
    return this.rows.length;
  }

  /** O(n log n). Every row, best first: higher total, then who reached it first. */
  ranked(): Entry[] {
    return [...this.rows]
      .sort((a, b) => b.total - a.total || a.seq - b.seq)
      .map(({ user, total }) => ({ user, total }));
  }

  /** O(n log n) at worst. Applies one command with an optional idempotency key. */
  apply<C extends CommandName>(cmd: C, args: ArgsOf<C>, key?: string): ModelAnswer<C> {
    try {
      if (key === undefined) return { ok: true, result: this.run(cmd, args) };
      const fingerprint = `${cmd}:${JSON.stringify(args)}`;
      const seen = this.keys.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) return { ok: false, code: ErrorCode.IDEMPOTENCY_KEY_REUSED };
        return { ok: true, result: seen.result as ResultOf<C> };
      }
      const result = this.run(cmd, args);
      this.keys.set(key, { fingerprint, result });
      return { ok: true, result };
    } catch (err) {
      if (err instanceof Refusal) return { ok: false, code: err.code };
      throw err;
    }
  }

  private run<C extends CommandName>(cmd: C, rawArgs: ArgsOf<C>): ResultOf<C> {
    const args = rawArgs as Record<string, unknown>;
    switch (cmd) {
      case Command.SetTotal:
        return this.write(args['user'] as UserId, () => args['total'] as number) as ResultOf<C>;
      case Command.AddScore:
        return this.write(args['user'] as UserId, (old) => old + (args['delta'] as number)) as ResultOf<C>;
      case Command.Top:
        return this.ranked().slice(0, args['n'] as number) as ResultOf<C>;
      case Command.Around: {
        const all = this.ranked();
        const p = args['position'] as number;
        const s = args['scope'] as number;
        return all.slice(Math.max(1, p - s) - 1, Math.min(all.length, p + s)) as ResultOf<C>;
      }
      case Command.GetUser: {
        const all = this.ranked();
        const i = all.findIndex((e) => e.user === args['user']);
        if (i < 0) throw new Refusal(ErrorCode.USER_NOT_FOUND);
        return { ...all[i]!, rank: i + 1 } satisfies RankedEntry as ResultOf<C>;
      }
      case Command.Reset: {
        const removed = this.rows.length;
        this.rows = [];
        return { removed } as ResultOf<C>;
      }
      case Command.Ping:
        return { status: 'ok', users: this.rows.length } as ResultOf<C>;
    }
  }

  private write(user: UserId, next: (old: number) => number): Entry {
    const row = this.rows.find((r) => r.user === user);
    const total = next(row?.total ?? 0) + 0;
    if (Math.abs(total) > MAX_TOTAL) throw new Refusal(ErrorCode.SCORE_OUT_OF_RANGE);
    if (!row) this.rows.push({ user, total, seq: ++this.seq });
    else if (row.total !== total) Object.assign(row, { total, seq: ++this.seq });
    return { user, total };
  }
}
