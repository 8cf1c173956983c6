/** Boards: create or update (`board.put`), read one, list all, delete. */
import { Type } from 'typebox';
import { BoardTimeSchema, checkBoardTime } from '../board-config.js';
import { BoardIdSchema, NoArgs, TotalSchema } from '../schemas.js';
import { BoardOperatorSchema, BoardOrderSchema, type BoardView } from './rows.js';
import { defineCommand } from './spec.js';

/** A board's configuration as written: every field optional; a bound of `null` is unset. */
export const BoardConfigSchema = {
  order: Type.Optional(BoardOrderSchema),
  operator: Type.Optional(BoardOperatorSchema),
  min: Type.Optional(Type.Union([TotalSchema, Type.Null()])),
  max: Type.Optional(Type.Union([TotalSchema, Type.Null()])),
  ...BoardTimeSchema,
};

/** Creates a board (`created`) or updates its configuration; answers the board. */
export const boardPutCommand = defineCommand<{ created: boolean; board: BoardView }>()({
  name: 'board.put',
  args: Type.Object({ board: BoardIdSchema, ...BoardConfigSchema }, { additionalProperties: false }),
  keyed: false,
  reads: false,
  spread: 'board',
  check: checkBoardTime,
});

/** One board. */
export const boardGetCommand = defineCommand<BoardView>()({
  name: 'board.get',
  args: Type.Object({ board: BoardIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** Every board, by id. */
export const boardListCommand = defineCommand<BoardView[]>()({
  name: 'board.list',
  args: NoArgs,
  keyed: false,
  reads: true,
  spread: 'every',
});

/** Closes the board's current period now (a manual season end); answers the board. */
export const boardResetCommand = defineCommand<BoardView>()({
  name: 'board.reset',
  args: Type.Object({ board: BoardIdSchema }, { additionalProperties: false }),
  keyed: true,
  reads: false,
  spread: 'board',
});

/** Deletes a board and its entries (never the default board). */
export const boardDeleteCommand = defineCommand<{ deleted: true }>()({
  name: 'board.delete',
  args: Type.Object({ board: BoardIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: false,
  spread: 'board',
});
