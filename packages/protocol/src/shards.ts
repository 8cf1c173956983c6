/**
 * Which ranking server (shard) holds what. A board lives on exactly one shard, chosen by
 * rendezvous hashing of its id: every shard gets a score hash(shard, board) and the highest score
 * wins. Adding shard N moves exactly the boards whose new score is the highest — about 1/(N+1) of
 * them, all to the new shard — and removing one moves only its own boards; no table is kept, so
 * every client and every tool agrees given the same shard count. Profiles are written to every
 * shard (each shows names and countries in its own rows and country rankings); the commands that
 * span boards are asked of every shard and their answers merged by the client.
 *
 * The hash is FNV-1a over the UTF-8 of `${shard}\n${id}` with a 32-bit avalanche finaliser
 * (murmur3's fmix32), so similar ids spread evenly. It is part of the wire contract: changing it
 * moves boards, which needs the reshard tool.
 */
import type { CommandName } from './commands/index.js';
import { DEFAULT_BOARD } from './values.js';

/** The most shards a deployment may have. */
export const MAX_SHARDS = 64;

/** O(length). A 32-bit hash of `shard` and `id`. */
function score(shard: number, id: string): number {
  let h = 0x811c9dc5;
  const text = `${shard}\n${id}`;
  for (let i = 0; i < text.length; i++) {
    // Code units, not UTF-8 bytes: the same string always gives the same units.
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** O(shards · length). The shard (0 … shards-1) that holds board `id`; 0 when there is one shard. */
export function shardOf(id: string, shards: number): number {
  if (shards <= 1) return 0;
  let best = 0;
  let bestScore = -1;
  for (let s = 0; s < shards; s++) {
    const v = score(s, id);
    if (v > bestScore) {
      best = s;
      bestScore = v;
    }
  }
  return best;
}

/**
 * Where a command goes: `board` — the shard of that board; `every` — every shard, answers merged
 * (profiles are kept on each; lists and a player's placements span them); `first` — shard 0, which
 * keeps what there is one of (the API keys).
 */
export type ShardRoute = { to: 'board'; board: string } | { to: 'every' } | { to: 'first' };

/** Commands that span shards. */
const EVERY = new Set<CommandName>([
  'ping',
  'digest',
  'board.list',
  'player.put',
  'player.batch',
  'player.get',
  'player.delete',
]);
/** Commands of the one key table. */
const FIRST = new Set<CommandName>(['key.put', 'key.delete', 'key.list', 'key.sync']);

/** O(1). Where `cmd` with `args` goes (the original routes' commands act on the default board). */
export function shardRoute(cmd: CommandName, args: unknown): ShardRoute {
  if (EVERY.has(cmd)) return { to: 'every' };
  if (FIRST.has(cmd)) return { to: 'first' };
  const board = (args as { board?: unknown } | null)?.board;
  return { to: 'board', board: typeof board === 'string' ? board : DEFAULT_BOARD };
}
