/**
 * Which ranking server (shard) holds what. A board lives on exactly one shard, chosen by
 * rendezvous hashing of its id: every shard gets a score hash(shard, board) and the highest score
 * wins. Adding shard N moves exactly the boards whose new score is the highest — about 1/(N+1) of
 * them, all to the new shard — and removing one moves only its own boards. The hash runs over the
 * shard map's `layout`, and the map lists the boards a live reshard has moved off the hash (or kept
 * on it) meanwhile: see {@link ShardMap}. Profiles are written to every
 * shard (each shows names and countries in its own rows and country rankings); the commands that
 * span boards are asked of every shard and their answers merged by the client.
 *
 * The hash is FNV-1a over the UTF-8 of `${shard}\n${id}` with a 32-bit avalanche finaliser
 * (murmur3's fmix32), so similar ids spread evenly. It is part of the wire contract: changing it
 * moves boards, which needs the reshard tool.
 */
import { MAX_SHARDS } from '@scoreboard/config';
import { Type, type Static } from 'typebox';
import { commandTable, type CommandName } from './commands/index.js';
import { BoardIdSchema } from './schemas.js';
import type { Spread } from './commands/spec.js';
import { DEFAULT_BOARD } from './values.js';

export { MAX_SHARDS };

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

/** Where a command goes: the shard of `board`, or as its spec's {@link Spread} says. */
export type ShardRoute = { to: 'board'; board: string } | { to: Exclude<Spread, 'board'> };

/** O(1). Where `cmd` with `args` goes (the original routes' commands act on the default board). */
export function shardRoute(cmd: CommandName, args: unknown): ShardRoute {
  const spread = commandTable[cmd].spread;
  if (spread !== 'board') return { to: spread };
  const board = (args as { board?: unknown } | null)?.board;
  return { to: 'board', board: typeof board === 'string' ? board : DEFAULT_BOARD };
}

/**
 * Where each board lives: the rendezvous hash over `layout` shards, except the boards in `moved`
 * (moved to, or kept on, a shard the hash does not pick — while a reshard is under way). `epoch`
 * grows with every change; `sealed` pauses the creation of boards while the layout changes (so no
 * board is created where the old layout put it after the new one was decided). The one schema of
 * the shard map: shards store it and are sent it, and the HTTP answer of `GET /shards` is it.
 */
export const ShardMapSchema = Type.Object(
  {
    epoch: Type.Integer({ minimum: 0, description: 'grows with every change of the map' }),
    layout: Type.Integer({
      minimum: 1,
      maximum: MAX_SHARDS,
      description: 'shards the hash spreads boards over',
    }),
    moved: Type.Record(BoardIdSchema, Type.Integer({ minimum: 0, maximum: MAX_SHARDS - 1 }), {
      description: 'boards not where the hash puts them: the moves a reshard has still to make',
    }),
    sealed: Type.Boolean({ description: 'true while a layout change pauses the creation of boards' }),
  },
  { additionalProperties: false },
);
/** See {@link ShardMapSchema}. */
export type ShardMap = Static<typeof ShardMapSchema>;

/** What a shard answers of its shard map: the map and its own index. */
export type ShardMapView = ShardMap & { shard: number };

/** `GET /shards`, `PUT /shards`: the shard map, and how many shards the answering client knows. */
export const ShardsAnswerSchema = Type.Object(
  {
    shards: Type.Integer({ description: 'ranking servers this client knows' }),
    ...ShardMapSchema.properties,
  },
  { title: 'Shards' },
);
/** See {@link ShardsAnswerSchema}. */
export type ShardsAnswer = Static<typeof ShardsAnswerSchema>;

/** O(1). The map of a deployment of `shards` shards that never changed its count. */
export function initialShardMap(shards: number): ShardMap {
  return { epoch: 0, layout: shards, moved: {}, sealed: false };
}

/** O(shards · length). The shard that holds board `id` under `map`. */
export function placeBoard(map: ShardMap, id: string): number {
  return Object.hasOwn(map.moved, id) ? map.moved[id]! : shardOf(id, map.layout);
}

/**
 * O(moved · shards). `map` with `moved` as given, minus the boards the hash already puts
 * where they are listed (nothing is moved by it; the list only shrinks), and the next epoch.
 */
export function nextShardMap(map: ShardMap, change: Partial<Omit<ShardMap, 'epoch'>>): ShardMap {
  const next: ShardMap = { ...map, ...change, epoch: map.epoch + 1 };
  // No prototype: a board may be called `__proto__`.
  const moved: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [id, shard] of Object.entries(next.moved)) {
    if (shardOf(id, next.layout) !== shard) moved[id] = shard;
  }
  return { ...next, moved };
}

/** O(moved). True when two shard maps say the same (epochs aside). */
export function sameShardMap(a: ShardMap, b: ShardMap): boolean {
  const am = Object.entries(a.moved);
  return (
    a.layout === b.layout &&
    a.sealed === b.sealed &&
    am.length === Object.keys(b.moved).length &&
    am.every(([id, s]) => b.moved[id] === s)
  );
}
