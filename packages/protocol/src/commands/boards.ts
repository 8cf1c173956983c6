/** Boards: create or update (`board.put`), read one, list all, delete; join a tournament board, read a player's attempts. */
import { Type } from 'typebox';
import {
  BoardLeagueSchema,
  BoardResultsSchema,
  BoardTimeSchema,
  BoardTournamentSchema,
  MAX_BUCKET_SIZE,
  checkBoardTime,
  checkRewards,
  checkTiers,
} from '../board-config.js';
import { BoardIdSchema, NoArgs, TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUser } from './checks.js';
import {
  BoardOperatorSchema,
  BoardOrderSchema,
  SubscoreSchema,
  type Attempts,
  type BoardView,
  type BucketRow,
  type BucketView,
  type Joined,
} from './rows.js';
import { argsOf, defineCommand, boardKeyedWrite, boardRead, boardWrite, everyRead } from './spec.js';

/** A board's configuration as written: every field optional; a bound of `null` is unset. */
export const BoardConfigSchema = {
  order: Type.Optional(BoardOrderSchema),
  operator: Type.Optional(BoardOperatorSchema),
  min: Type.Optional(Type.Union([TotalSchema, Type.Null()])),
  max: Type.Optional(Type.Union([TotalSchema, Type.Null()])),
  ...BoardTimeSchema,
  ...BoardTournamentSchema,
  ...BoardLeagueSchema,
  ...BoardResultsSchema,
  subscore: Type.Optional(Type.Union([SubscoreSchema, Type.Null()])),
};

/** The boards commands, by readable name. */
export const boardCommands = {
  /** Creates a board (`created`) or updates its configuration; answers the board. */
  BoardPut: defineCommand<{ created: boolean; board: BoardView }>()({
    name: 'board.put',
    args: argsOf({ board: BoardIdSchema, ...BoardConfigSchema }),
    ...boardWrite,
    check: (args) => checkBoardTime(args) ?? checkTiers(args.tiers) ?? checkRewards(args.rewards),
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
  /** A player's bucket in the live period: its rows, best first, and the player's rank inside it. */
  BucketOfUser: defineCommand<BucketView>()({
    name: 'bucket.user',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** The first `n` rows of one bucket of the live period (ranks inside the bucket). */
  BucketTop: defineCommand<BucketRow[]>()({
    name: 'bucket.top',
    args: argsOf({
      board: BoardIdSchema,
      bucket: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      n: Type.Integer({ minimum: 0, maximum: MAX_BUCKET_SIZE }),
    }),
    ...boardRead,
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
