/** The rows commands answer: a user with a total, and with its position. */
import type { UserId } from '../values.js';

/** One row of a board: a user and its total. */
export interface Entry {
  user: UserId;
  total: number;
}

/** A user's row with its 1-based position. */
export interface RankedEntry extends Entry {
  rank: number;
}
