/** Operations: empty the board, and a health probe. */
import { Type } from 'typebox';
import { NoArgs } from '../schemas.js';
import { defineCommand } from './spec.js';

/** Removes every user; answers how many there were. */
export const resetCommand = defineCommand<{ removed: number }>()({
  name: 'reset',
  args: NoArgs,
  keyed: false,
});

/** Answers that the server is up and how many users it holds. */
export const pingCommand = defineCommand<{ status: 'ok'; users: number }>()({
  name: 'ping',
  args: Type.Object({}, { additionalProperties: false }),
  keyed: false,
});
