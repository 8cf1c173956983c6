/**
 * What a command is, as a value: its wire name, the TypeBox schema of its arguments (which the
 * ranking server compiles and checks every request against), whether it takes an idempotency key,
 * and a check that puts valid arguments into canonical form and refuses what a schema cannot say
 * (an unknown country, a name that trims to nothing). The result type rides along as a phantom, so
 * `ResultOf<C>` is known at compile time on both sides of the hop.
 */
import type { Static, TSchema } from 'typebox';
import type { Problem } from '../profile.js';

/**
 * Where a command goes: `board` — the shard that holds its board (the original routes' commands act
 * on the default board); `every` — every shard, answers merged (profiles are kept on each; lists
 * and a player's placements span them); `first` — shard 0, which keeps what there is one of (the
 * API keys); `named` — the shard the caller names (a move's steps).
 */
export type Spread = 'board' | 'every' | 'first' | 'named';

/** One command's contract. */
export interface CommandSpec<N extends string = string, A extends TSchema = TSchema, R = unknown> {
  /** The name on the wire. */
  readonly name: N;
  /** Schema of the arguments; extra fields are refused. */
  readonly args: A;
  /**
   * True when the command takes an idempotency key: a repeat with the same key answers the first
   * result, unapplied. Set on writes whose repeat would differ (relative scores, batches).
   */
  readonly keyed: boolean;
  /**
   * True when the command only reads. A read is answered while a board moves and while the log
   * cannot be written; anything else is a write, refused then, before it changes anything.
   */
  readonly reads: boolean;
  /** Which ranking servers (shards) it goes to: see {@link Spread}. */
  readonly spread: Spread;
  /**
   * Runs after the schema check: rewrites the arguments into canonical form in place (user id
   * "123" → 123, "de" → "DE") and answers the first problem a schema cannot express.
   */
  readonly check?: (args: Static<A>) => Problem | undefined;
  /** Phantom: the result's type. Never set. */
  readonly __result?: R;
}

/**
 * O(1). Declares a command with result type `R`: `defineCommand<Entry>()({name, args, keyed})`.
 * Curried so the name and schema types are inferred while the result type is given.
 */
export function defineCommand<R>() {
  return <const N extends string, A extends TSchema>(
    spec: Omit<CommandSpec<N, A, R>, '__result'>,
  ): CommandSpec<N, A, R> => spec;
}
