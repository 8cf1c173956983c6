/** Rankings within a country: the countries on a board, a country's top, the rows around a player. */
import { ErrorCode, ScoreboardError, countryNumber } from '@scoreboard/protocol';
import type { HandlerTable } from '../engine/handler.js';
import { slotOn, styleOf } from './reads.js';

/** Handlers of the country reads. O(log n + page) each; `board.countries` O(countries). */
export const countryHandlers = {
  'board.countries': (args, ctx) => ctx.data.board(args.board).countryCounts(),
  'country.top': (args, ctx) =>
    ctx.data.board(args.board).countryTop(countryNumber(args.country), args.n, styleOf(args)),
  'country.around': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const rows = board.countryAround(
      countryNumber(args.country),
      slotOn(ctx, board, args.user),
      args.size,
      styleOf(args),
    );
    if (!rows)
      throw new ScoreboardError(
        ErrorCode.USER_NOT_FOUND,
        `The user is not ranked in ${args.country} on this board.`,
      );
    return rows;
  },
} satisfies Partial<HandlerTable>;
