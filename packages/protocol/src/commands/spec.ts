/**
 * What a command is, as a value: its wire name, the TypeBox schema of its arguments (which the
 * ranking server compiles and checks every request against), whether it is a write, and how its
 * arguments are put into canonical form. The result type rides along as a phantom, so
 * `ResultOf<C>` is known at compile time on both sides of the hop.
 */
import type { Static, TSchema } from 'typebox';

/** One command's contract. */
export interface CommandSpec<N extends string = string, A extends TSchema = TSchema, R = unknown> {
  /** The name on the wire. */
  readonly name: N;
  /** Schema of the arguments; extra fields are refused. */
  readonly args: A;
  /** A write may carry an idempotency key: a repeat answers its first result, unapplied. */
  readonly write: boolean;
  /** Rewrites validated arguments into canonical form in place (e.g. user id "123" → 123). */
  readonly canonicalize?: (args: Static<A>) => void;
  /** Phantom: the result's type. Never set. */
  readonly __result?: R;
}

/**
 * O(1). Declares a command with result type `R`: `defineCommand<Entry>()({name, args, write})`.
 * Curried so the name and schema types are inferred while the result type is given.
 */
export function defineCommand<R>() {
  return <const N extends string, A extends TSchema>(
    spec: Omit<CommandSpec<N, A, R>, '__result'>,
  ): CommandSpec<N, A, R> => spec;
}
