/**
 * The command table: every command the ranking server answers, by wire name, composed from the
 * family files (each command is written once, in its family's object). The types of every
 * command's arguments and result are derived from it, so adding a command is one spec in a family
 * file; the server's handler table is typed by the same names and the compiler refuses a command
 * without a handler.
 */
import type { Static } from 'typebox';
import { adminCommands } from './admin.js';
import { boardCommands } from './boards.js';
import { countryCommands } from './countries.js';
import { keyCommands } from './keys.js';
import { moveCommands } from './moves.js';
import { periodCommands } from './periods.js';
import { playerCommands } from './players.js';
import { readCommands } from './reads.js';
import { scoreCommands } from './scores.js';
import { webhookCommands } from './webhooks.js';
import type { CommandSpec } from './spec.js';

/** Every command by its readable name: each family's object, each command written once there. */
const families = {
  ...scoreCommands,
  ...readCommands,
  ...adminCommands,
  ...boardCommands,
  ...periodCommands,
  ...countryCommands,
  ...playerCommands,
  ...keyCommands,
  ...moveCommands,
  ...webhookCommands,
};

type Families = typeof families;

/** Every command, keyed by its wire name. */
export const commandTable = Object.fromEntries(
  Object.values(families).map((spec): [string, CommandSpec] => [spec.name, spec]),
) as { readonly [K in keyof Families as Families[K]['name']]: Families[K] };

type Table = typeof commandTable;

/** Command names on the wire, by a readable name. */
export const Command = Object.fromEntries(
  Object.entries(families).map(([readable, spec]) => [readable, spec.name]),
) as { readonly [K in keyof Families]: Families[K]['name'] };

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
