/** Boards: create or update (`board.put`), read one, list all, delete; join a tournament board, read a player's attempts. */
import { Type } from 'typebox';
import { BoardTimeSchema, BoardTournamentSchema, checkBoardTime } from '../board-config.js';
import { BoardIdSchema, NoArgs, TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUser } from './checks.js';
import { BoardOperatorSchema, BoardOrderSchema, type Attempts, type BoardView, type Joined } from './rows.js';
import { argsOf, defineCommand, boardKeyedWrite, boardRead, boardWrite, everyRead } from './spec.js';

/** A board's configuration as written: every field optional; a bound of `null` is unset. */
export const BoardConfigSchema = {
  order: Type.Optional(BoardOrderSchema),
  operator: Type.Optional(BoardOperatorSchema),
  min: Type.Optional(Type.Union([TotalSchema, Type.Null()])),
  max: Type.Optional(Type.Union([TotalSchema, Type.Null()])),
  ...BoardTimeSchema,
  ...BoardTournamentSchema,
};

/** The boards commands, by readable name. */
export const boardCommands = {
  /** Creates a board (`created`) or updates its configuration; answers the board. */
  BoardPut: defineCommand<{ created: boolean; board: BoardView }>()({
    name: 'board.put',
    args: argsOf({ board: BoardIdSchema, ...BoardConfigSchema }),
    ...boardWrite,
    check: checkBoardTime,
  }),
  /** One board. */
  BoardGet: defineCommand<BoardView>()({
    name: 'board.get',
    args: argsOf({ board: BoardIdSchema }),
    ...boardRead,
  }),
  /** Every board, by id. */
  BoardList: defineCommand<BoardView[]>()({
    name: 'board.list',
    args: NoArgs,
    ...everyRead,
  }),
  /** Closes the board's current period now (a manual season end); answers the board. */
  BoardReset: defineCommand<BoardView>()({
    name: 'board.reset',
    args: argsOf({ board: BoardIdSchema }),
    ...boardKeyedWrite,
  }),
  /**
   * Joins a player to the board's live period (tournament boards: `join: true`); answers whether
   * this join added them (`created`) and the players joined. BOARD_FULL past `maxPlayers`.
   */
  BoardJoin: defineCommand<Joined>()({
    name: 'board.join',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema }),
    ...boardKeyedWrite,
    check: canonicalUser,
  }),
  /** A player's attempts in the board's live period, and whether they joined it. */
  BoardAttempts: defineCommand<Attempts>()({
    name: 'board.attempts',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** Deletes a board and its entries (never the default board). */
  BoardDelete: defineCommand<{ deleted: true }>()({
    name: 'board.delete',
    args: argsOf({ board: BoardIdSchema }),
    ...boardWrite,
  }),
};
