/**
 * What a command is, as a value: its wire name, the TypeBox schema of its arguments (which the
 * ranking server compiles and checks every request against), whether it takes an idempotency key,
 * and a check that puts valid arguments into canonical form and refuses what a schema cannot say
 * (an unknown country, a name that trims to nothing). The result type rides along as a phantom, so
 * `ResultOf<C>` is known at compile time on both sides of the hop.
 */
import { Type, type Static, type TProperties, type TSchema } from 'typebox';
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
  /**
   * The schema of the result, when the command declares one: what a route that forwards the
   * command documents as its answer (the type is `R` either way).
   */
  readonly result?: TSchema;
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

/**
 * O(1). The schema of a command's arguments: an object of exactly these fields (extra fields are
 * refused).
 */
export function argsOf<P extends TProperties>(fields: P) {
  return Type.Object(fields, { additionalProperties: false });
}

/** How a command behaves, as spread into its spec: whether it reads, takes a key, where it goes. */
const preset = <const K extends boolean, const R extends boolean, const S extends Spread>(
  keyed: K,
  reads: R,
  spread: S,
) => ({ keyed, reads, spread });

/** Reads one board, on its shard. */
export const boardRead = preset(false, true, 'board');
/** Changes one board, on its shard; a repeat does the same (no idempotency key). */
export const boardWrite = preset(false, false, 'board');
/** Changes one board and takes an idempotency key: a repeat would differ (a relative score). */
export const boardKeyedWrite = preset(true, false, 'board');
/** Asked of every shard, answers merged. */
export const everyRead = preset(false, true, 'every');
/** Applied on every shard (profiles are kept on each). */
export const everyWrite = preset(false, false, 'every');
/** Applied on every shard, with an idempotency key. */
export const everyKeyedWrite = preset(true, false, 'every');
/** Reads what shard 0 alone keeps (the API keys). */
export const firstRead = preset(false, true, 'first');
/** Changes what shard 0 alone keeps. */
export const firstWrite = preset(false, false, 'first');
/** A read of the shard the caller names (a move's step). */
export const namedRead = preset(false, true, 'named');
/** A change on the shard the caller names (a move's step). */
export const namedWrite = preset(false, false, 'named');
