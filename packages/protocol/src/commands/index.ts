/**
 * The command table: every command the ranking server answers, by wire name. The types of every
 * command's arguments and result are derived from it, so adding a command is one spec in a family
 * file plus one line here; the server's handler table is typed by the same names and the compiler
 * refuses a command without a handler.
 */
import type { Static } from 'typebox';
import { digestCommand, pingCommand, resetCommand } from './admin.js';
import {
  boardDeleteCommand,
  boardGetCommand,
  boardListCommand,
  boardPutCommand,
  boardResetCommand,
} from './boards.js';
import { boardCountriesCommand, countryAroundCommand, countryTopCommand } from './countries.js';
import {
  boardPeriodsCommand,
  historyCommand,
  periodAroundCommand,
  periodTopCommand,
  periodUserCommand,
  periodWindowCommand,
} from './periods.js';
import { keyDeleteCommand, keyListCommand, keyPutCommand, keySyncCommand } from './keys.js';
import { playerBatchCommand, playerDeleteCommand, playerGetCommand, playerPutCommand } from './players.js';
import {
  aroundCommand,
  boardAroundCommand,
  boardRangeCommand,
  boardTopCommand,
  boardUserCommand,
  boardUsersCommand,
  boardWindowCommand,
  getCommand,
  topCommand,
} from './reads.js';
import { addCommand, scoreBatchCommand, scorePutCommand, setCommand } from './scores.js';
import {
  boardDropCommand,
  boardExportCommand,
  boardFreezeCommand,
  boardImportCommand,
  shardMapGetCommand,
  shardMapSetCommand,
} from './moves.js';
import type { CommandSpec } from './spec.js';

/** Every command, keyed by its wire name. */
export const commandTable = {
  [setCommand.name]: setCommand,
  [addCommand.name]: addCommand,
  [topCommand.name]: topCommand,
  [aroundCommand.name]: aroundCommand,
  [getCommand.name]: getCommand,
  [resetCommand.name]: resetCommand,
  [pingCommand.name]: pingCommand,
  [digestCommand.name]: digestCommand,
  [boardPutCommand.name]: boardPutCommand,
  [boardGetCommand.name]: boardGetCommand,
  [boardListCommand.name]: boardListCommand,
  [boardDeleteCommand.name]: boardDeleteCommand,
  [boardResetCommand.name]: boardResetCommand,
  [boardPeriodsCommand.name]: boardPeriodsCommand,
  [periodTopCommand.name]: periodTopCommand,
  [periodWindowCommand.name]: periodWindowCommand,
  [periodUserCommand.name]: periodUserCommand,
  [periodAroundCommand.name]: periodAroundCommand,
  [historyCommand.name]: historyCommand,
  [scorePutCommand.name]: scorePutCommand,
  [scoreBatchCommand.name]: scoreBatchCommand,
  [boardTopCommand.name]: boardTopCommand,
  [boardWindowCommand.name]: boardWindowCommand,
  [boardUserCommand.name]: boardUserCommand,
  [boardAroundCommand.name]: boardAroundCommand,
  [boardUsersCommand.name]: boardUsersCommand,
  [boardRangeCommand.name]: boardRangeCommand,
  [boardCountriesCommand.name]: boardCountriesCommand,
  [countryTopCommand.name]: countryTopCommand,
  [countryAroundCommand.name]: countryAroundCommand,
  [playerPutCommand.name]: playerPutCommand,
  [playerBatchCommand.name]: playerBatchCommand,
  [playerGetCommand.name]: playerGetCommand,
  [playerDeleteCommand.name]: playerDeleteCommand,
  [keyPutCommand.name]: keyPutCommand,
  [keyDeleteCommand.name]: keyDeleteCommand,
  [keyListCommand.name]: keyListCommand,
  [keySyncCommand.name]: keySyncCommand,
  [shardMapGetCommand.name]: shardMapGetCommand,
  [shardMapSetCommand.name]: shardMapSetCommand,
  [boardFreezeCommand.name]: boardFreezeCommand,
  [boardExportCommand.name]: boardExportCommand,
  [boardImportCommand.name]: boardImportCommand,
  [boardDropCommand.name]: boardDropCommand,
} as const;

type Table = typeof commandTable;

/** Command names on the wire, by a readable name. */
export const Command = {
  SetTotal: setCommand.name,
  AddScore: addCommand.name,
  Top: topCommand.name,
  Around: aroundCommand.name,
  GetUser: getCommand.name,
  Reset: resetCommand.name,
  Ping: pingCommand.name,
  Digest: digestCommand.name,
  BoardPut: boardPutCommand.name,
  BoardGet: boardGetCommand.name,
  BoardList: boardListCommand.name,
  BoardDelete: boardDeleteCommand.name,
  BoardReset: boardResetCommand.name,
  BoardPeriods: boardPeriodsCommand.name,
  PeriodTop: periodTopCommand.name,
  PeriodWindow: periodWindowCommand.name,
  PeriodUser: periodUserCommand.name,
  PeriodAround: periodAroundCommand.name,
  History: historyCommand.name,
  ScorePut: scorePutCommand.name,
  ScoreBatch: scoreBatchCommand.name,
  BoardTop: boardTopCommand.name,
  BoardWindow: boardWindowCommand.name,
  BoardUser: boardUserCommand.name,
  BoardAround: boardAroundCommand.name,
  BoardUsers: boardUsersCommand.name,
  BoardRange: boardRangeCommand.name,
  BoardCountries: boardCountriesCommand.name,
  CountryTop: countryTopCommand.name,
  CountryAround: countryAroundCommand.name,
  PlayerPut: playerPutCommand.name,
  PlayerBatch: playerBatchCommand.name,
  PlayerGet: playerGetCommand.name,
  PlayerDelete: playerDeleteCommand.name,
  KeyPut: keyPutCommand.name,
  KeyDelete: keyDeleteCommand.name,
  KeyList: keyListCommand.name,
  KeySync: keySyncCommand.name,
  ShardMapGet: shardMapGetCommand.name,
  ShardMapSet: shardMapSetCommand.name,
  BoardFreeze: boardFreezeCommand.name,
  BoardExport: boardExportCommand.name,
  BoardImport: boardImportCommand.name,
  BoardDrop: boardDropCommand.name,
} as const satisfies Record<string, keyof Table>;

/** One of the command names of {@link Command}. */
export type CommandName = keyof Table;

type ResultOfSpec<S> = S extends CommandSpec<string, infer _A, infer R> ? R : never;

/** Arguments and result of every command. */
export type CommandMap = {
  [C in CommandName]: { args: Static<Table[C]['args']>; result: ResultOfSpec<Table[C]> };
};

/** The argument type of command `C`. */
export type ArgsOf<C extends CommandName> = CommandMap[C]['args'];

/** The result type of command `C`. */
export type ResultOf<C extends CommandName> = CommandMap[C]['result'];

/** O(1). True when `name` is a command of the table. */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commandTable, name);
}
