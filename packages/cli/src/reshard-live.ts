/**
 * A live reshard through the HTTP API (admin): spread new boards over `to` shards, then move every
 * board the new layout places elsewhere, one at a time. While a board moves, only its writes pause
 * (they wait up to 2.5 s in the client, then answer 503 with Retry-After). Rerunning after a
 * failure resumes: the map remembers which boards are left. The shards must already run, and every
 * client must list all of them (RANKING_ENDPOINT).
 */
import { shardOf, type MoveReport, type ShardsAnswer } from '@scoreboard/protocol';
import type { Api } from './api.js';

/** What a live reshard did. */
export interface LiveReshardReport {
  moves: MoveReport[];
  /** Boards left where they were (the hash keeps them there). */
  kept: number;
  ms: number;
}

/**
 * O(boards) requests. Reshards the running system behind `api` to `to` shards; `onMove` hears of
 * each move as it ends.
 */
export async function reshardLive(
  api: Api,
  to: number,
  onMove: (move: MoveReport) => void = () => undefined,
): Promise<LiveReshardReport> {
  const started = performance.now();
  const map = await api.request<ShardsAnswer>('PUT', '/shards', { layout: to });
  const moves: MoveReport[] = [];
  for (const board of Object.keys(map.moved).sort()) {
    const move = await api.request<MoveReport>('POST', `/boards/${encodeURIComponent(board)}/move`, {
      shard: shardOf(board, to),
    });
    moves.push(move);
    onMove(move);
  }
  const after = await api.request<ShardsAnswer>('GET', '/shards');
  const left = Object.keys(after.moved);
  if (left.length > 0) throw new Error(`boards still to move (run it again): ${left.join(', ')}`);
  const kept = Math.max(0, (await api.request<unknown[]>('GET', '/boards')).length - moves.length);
  return { moves, kept, ms: Math.round(performance.now() - started) };
}
