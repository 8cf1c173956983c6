/**
 * What a command handler is: a function of its validated arguments and a context, answering the
 * command's result (which the engine serialises) or JSON bytes it already holds (a cached page).
 * The handler table is typed by every command name, so a command without a handler does not
 * compile.
 */
import type { ArgsOf, CommandName, ResultOf } from '@scoreboard/protocol';
import type { KeyRef, LogRecord } from '../persistence/records.js';
import type { RankingState } from './state.js';

/** Where handlers log the records of their writes: the store, or nothing when memory-only. */
export interface Journal {
  /** O(record). Appends a record; answers its ticket (the log position a reply waits for). */
  append(record: LogRecord): number;
  /** O(1). Ticket of the last appended record. */
  readonly appendedTicket: number;
}

/** A journal that keeps nothing: the state lives in memory only. */
export const memoryOnly: Journal = { append: () => 0, appendedTicket: 0 };

/** What a handler may use. One context serves a whole batch; `key` is the current request's. */
export interface CommandContext {
  /** The clock reading the batch is handled at (epoch ms). */
  readonly now: number;
  readonly state: RankingState;
  readonly journal: Journal;
  /** The idempotency key of the request being handled: its write's log record carries it. */
  key: KeyRef | undefined;
}

/** The JSON bytes of a result, already serialised (the engine sends them as they are). */
export type JsonBytes = Buffer;

/** Handles command `C`: throws a ScoreboardError for a failure the caller should see. */
export type Handler<C extends CommandName> = (
  args: ArgsOf<C>,
  ctx: CommandContext,
) => ResultOf<C> | JsonBytes;

/** One handler per command. */
export type HandlerTable = { readonly [C in CommandName]: Handler<C> };
