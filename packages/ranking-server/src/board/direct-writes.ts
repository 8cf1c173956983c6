/**
 * Boards written to directly, for tests and benchmarks of the boards themselves: the same decisions a command's
 * handler makes (planPut, resolve) applied by the same primitives a record's application uses
 * (restoreBoard, restore), without an engine or a log.
 */
import type { Board, BoardConfig, ScoreWrite } from './board.js';
import type { Leaderboards } from './leaderboards.js';

/** O(1). Creates `id` at `now`, or changes its rules with `patch`; answers it and whether it is new. */
export function putBoard(
  data: Leaderboards,
  id: string,
  patch: Partial<BoardConfig>,
  now: number,
): { board: Board; created: boolean } {
  const plan = data.planPut(id, patch, now);
  data.restoreBoard(id, plan.config, plan.created, plan.period);
  return { board: data.board(id), created: plan.isNew };
}

/**
 * O(log n). Writes a score under the board's rules (refusals change nothing); answers the total
 * kept and whether the entry moved (with its new tie-break sequence).
 */
export function submit(
  data: Leaderboards,
  board: Board,
  slot: number,
  write: ScoreWrite,
): { total: number; seq?: number; changed: boolean } {
  const current = board.has(slot) ? board.heldOf(slot) : undefined;
  const next = board.resolve(current, write);
  if (next === undefined || (next.total === current?.total && next.subscore === current.subscore))
    return { total: current!.total, changed: false };
  const seq = data.seq.take();
  board.restore(slot, next.total, seq, undefined, next.subscore);
  return { total: next.total, seq, changed: true };
}
