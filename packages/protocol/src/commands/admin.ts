/** Operations: empty the board, a health probe, and a digest of the whole state (tests). */
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

/**
 * Answers a SHA-256 of everything the server holds (what a snapshot would hold), and how many
 * records that is: equal digests, equal states. O(n); only the debug route asks for it.
 */
export const digestCommand = defineCommand<{ digest: string; records: number }>()({
  name: 'digest',
  args: Type.Object({}, { additionalProperties: false }),
  keyed: false,
});
