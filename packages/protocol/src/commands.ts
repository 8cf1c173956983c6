/**
 * The commands a client may send to the ranking server, their arguments and their results.
 * Command names are constants; `CommandMap` ties each one to its argument and result types so
 * both sides stay in step at compile time.
 */
import type { UserId } from './user-id.js';

/** Command names on the wire. */
export const Command = {
  SetTotal: 'set',
  AddScore: 'add',
  Top: 'top',
  Around: 'around',
  GetUser: 'get',
  Reset: 'reset',
  Ping: 'ping',
} as const;

/** One of the command names of {@link Command}. */
export type CommandName = (typeof Command)[keyof typeof Command];

/** The largest N of `top` and the largest scope S of `around`. */
export const MAX_PAGE = 10_000;

/** One row of a board: a user and its total. */
export interface Entry {
  user: UserId;
  total: number;
}

/** A user's row with its 1-based position. */
export interface RankedEntry extends Entry {
  rank: number;
}

/** Arguments and result of every command. */
export interface CommandMap {
  set: { args: { user: UserId; total: number }; result: Entry };
  add: { args: { user: UserId; delta: number }; result: Entry };
  top: { args: { n: number }; result: Entry[] };
  around: { args: { position: number; scope: number }; result: Entry[] };
  get: { args: { user: UserId }; result: RankedEntry };
  reset: { args: Record<string, never>; result: { removed: number } };
  ping: { args: Record<string, never>; result: { status: 'ok'; users: number } };
}

/** The argument type of command `C`. */
export type ArgsOf<C extends CommandName> = CommandMap[C]['args'];

/** The result type of command `C`. */
export type ResultOf<C extends CommandName> = CommandMap[C]['result'];
