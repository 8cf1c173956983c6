/**
 * Moving boards between shards while the system runs — the steps of a live reshard, taken by a
 * client, which holds a DEALER to every shard:
 *
 * - {@link BoardMover.setLayout} changes the shard count the hash spreads boards over without
 *   moving any. It seals every shard's map, so no board is created meanwhile, and lists every
 *   board. Then it publishes the new layout with each existing board kept where it is (listed in
 *   `moved`). New boards go where the new layout puts them from then on.
 * - {@link BoardMover.move} moves one board:
 *   1. freeze it on its shard (writes answer BOARD_MOVING, which clients wait out; reads go on);
 *   2. export it whole;
 *   3. import it on the target shard;
 *   4. publish the map that places it there (every shard must take it);
 *   5. drop the old copy, which also lifts the freeze.
 *
 *   Writes to that board pause from step 1 to step 4; the report says for how long. A failure
 *   before shard 0 takes the new map lifts the freeze and the board stays where it was. A failure
 *   after that is finished by moving again: a board the map already places on the target is republished and
 *   its other copies are dropped.
 *
 * Every step is logged by the shard that takes it, so a crash leaves nothing half-applied that a
 * rerun does not finish. One reshard at a time: two movers racing are refused by the maps'
 * epochs (SHARD_MAP_STALE).
 */
import {
  ErrorCode,
  ScoreboardError,
  nextShardMap,
  placeBoard,
  type ArgsOf,
  type CommandName,
  type MoveReport,
  type ResultOf,
  type ShardMap,
} from '@scoreboard/protocol';
import type { ShardedRanking } from './sharded-ranking.js';

/** How long exporting or importing a board may take (about 1.5 s per million entries here). */
const BULK_TIMEOUT_MS = 30_000;
/** How long any other step may take. */
const STEP_TIMEOUT_MS = 5_000;
/**
 * Tries of a step whose message went unanswered (ZeroMQ may lose a message when a connection
 * drops). Every step may be repeated: freezing, exporting, importing (it replaces), publishing
 * the same map and dropping all do the same the second time.
 */
const STEP_TRIES = 3;

/** Takes the steps of a live reshard through a client's shards. */
export class BoardMover {
  /** O(1). */
  constructor(private readonly ranking: ShardedRanking) {}

  /** O(moved). The map as shard 0 holds it now. */
  async map(): Promise<ShardMap> {
    return this.ranking.refreshMap();
  }

  /**
   * O(boards · shards). Spreads new boards over `layout` shards and keeps every existing board
   * where it is (see the module comment); answers the new map. HTTP_VALIDATION when `layout`
   * exceeds the shards this client knows.
   */
  async setLayout(layout: number): Promise<ShardMap> {
    this.checkShard(layout - 1, 'layout');
    const map = await this.map();
    if (map.layout === layout && !map.sealed) return map;
    const sealed = map.sealed ? map : nextShardMap(map, { sealed: true });
    if (sealed !== map) await this.publish(sealed);
    const lists = await Promise.all(
      Array.from({ length: this.ranking.count }, (_, i) => this.step(i, 'board.list', {})),
    );
    const moved: Record<string, number> = Object.create(null) as Record<string, number>;
    lists.forEach((list, i) => {
      for (const { board } of list) if (placeBoard(sealed, board) === i) moved[board] = i;
    });
    const next = nextShardMap(sealed, { layout, moved, sealed: false });
    await this.publish(next);
    return next;
  }

  /** O(n of the board). Moves `board` to shard `to` (see the module comment). */
  async move(board: string, to: number): Promise<MoveReport> {
    this.checkShard(to, 'shard');
    const map = await this.map();
    const from = placeBoard(map, board);
    if (from === to) {
      // Already placed there: finish whatever an earlier attempt left.
      await this.publish(map);
      const others = Array.from({ length: this.ranking.count }, (_, i) => i).filter((i) => i !== to);
      await Promise.all(others.map((i) => this.step(i, 'board.drop', { board })));
      const view = await this.step(to, 'board.freeze', { board, frozen: false });
      return { board, from, to, entries: view.entries, pausedMs: 0 };
    }
    const started = performance.now();
    const { entries } = await this.step(from, 'board.freeze', { board });
    try {
      const exported = await this.step(from, 'board.export', { board });
      await this.step(to, 'board.import', { board, records: exported.records });
    } catch (err) {
      await this.step(from, 'board.freeze', { board, frozen: false });
      throw err;
    }
    try {
      await this.publish(nextShardMap(map, { moved: { ...map.moved, [board]: to } }));
    } catch (err) {
      // Switched if shard 0 took the map (a rerun finishes the move); else the move is given up.
      const now = await this.map().catch(() => undefined);
      if (now && placeBoard(now, board) !== to)
        await this.step(from, 'board.freeze', { board, frozen: false });
      throw err;
    }
    const pausedMs = Math.round(performance.now() - started);
    await this.step(from, 'board.drop', { board });
    return { board, from, to, entries, pausedMs };
  }

  /** Every shard takes `map` (each told its own index); then this client reads it back. */
  private async publish(map: ShardMap): Promise<void> {
    await Promise.all(
      Array.from({ length: this.ranking.count }, (_, shard) =>
        this.step(shard, 'shardmap.set', { shard, map }),
      ),
    );
    await this.ranking.refreshMap();
  }

  private async step<C extends CommandName>(shard: number, cmd: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
    const timeoutMs = cmd === 'board.export' || cmd === 'board.import' ? BULK_TIMEOUT_MS : STEP_TIMEOUT_MS;
    for (let tries = 1; ; tries++) {
      try {
        return await this.ranking.shard(shard).call(cmd, args, { shard, timeoutMs });
      } catch (err) {
        const lost = err instanceof ScoreboardError && err.code === ErrorCode.RANKING_UNAVAILABLE;
        if (!lost || tries === STEP_TRIES) throw err;
      }
    }
  }

  private checkShard(shard: number, what: string): void {
    if (!Number.isSafeInteger(shard) || shard < 0 || shard >= this.ranking.count) {
      const most = what === 'layout' ? this.ranking.count : this.ranking.count - 1;
      throw new ScoreboardError(
        ErrorCode.HTTP_VALIDATION,
        `${what} must be an integer from ${what === 'layout' ? 1 : 0} to ${most} (the shards this client knows).`,
      );
    }
  }
}
