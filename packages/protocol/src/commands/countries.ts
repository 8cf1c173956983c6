/** Rankings within a country on a board: the countries present, a country's top, around a user. */
import { Type } from 'typebox';
import { canonicalCountry } from '../countries.js';
import { ErrorCode } from '../errors.js';
import type { Problem } from '../profile.js';
import { BoardIdSchema, CountSchema, CountrySchema, RankStyleSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import { MAX_AROUND, MAX_PAGE } from './reads.js';
import type { BoardRow, CountryCount } from './rows.js';
import { argsOf, defineCommand, boardRead } from './spec.js';

/** O(1). Upper-cases a known country (and canonicalises a user id when there is one). */
function checkCountry(args: { country: string; user?: string | number }): Problem | undefined {
  const country = canonicalCountry(args.country);
  if (!country) {
    return { code: ErrorCode.PLAYER_UNKNOWN_COUNTRY, message: 'country must be an ISO 3166-1 alpha-2 code.' };
  }
  args.country = country;
  if (args.user !== undefined) args.user = canonicalUserId(args.user)!;
  return undefined;
}

/** The countries commands, by readable name. */
export const countryCommands = {
  /** The countries of a board's players and how many of them, largest first. */
  BoardCountries: defineCommand<CountryCount[]>()({
    name: 'board.countries',
    args: argsOf({ board: BoardIdSchema }),
    ...boardRead,
  }),
  /** The `n` best rows of a board within one country; `rank` is the rank within the country. */
  CountryTop: defineCommand<BoardRow[]>()({
    name: 'country.top',
    args: argsOf({
      board: BoardIdSchema,
      country: CountrySchema,
      n: CountSchema(MAX_PAGE),
      rank: Type.Optional(RankStyleSchema),
    }),
    ...boardRead,
    check: checkCountry,
  }),
  /** 2·size+1 rows of one country around a user of that country; ranks within the country. */
  CountryAround: defineCommand<BoardRow[]>()({
    name: 'country.around',
    args: argsOf({
      board: BoardIdSchema,
      country: CountrySchema,
      user: UserIdSchema,
      size: CountSchema(MAX_AROUND),
      rank: Type.Optional(RankStyleSchema),
    }),
    ...boardRead,
    check: checkCountry,
  }),
};
