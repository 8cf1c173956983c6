/**
 * What a ranking server knows of the shards: its own index, its copy of the shard map (which
 * shard holds which board) and the boards whose writes are paused while they move. It admits or
 * refuses each command routed by board: a board the shard map puts on another shard answers
 * SHARD_MISROUTED (the client reads the shard map again and retries there — the answer that makes
 * a stale client safe), and a write to a frozen board, or the creation of a board while the
 * shard map is sealed, answers BOARD_MOVING (the client waits and retries). A refused command
 * changes nothing. With one shard every board is placed here and nothing is ever refused.
 */
import {
  ErrorCode,
  commandTable,
  RETRY_AFTER_SECONDS,
  ScoreboardError,
  initialShardMap,
  placeBoard,
  type CommandName,
  type ShardMap,
} from '@scoreboard/protocol';

/** What a snapshot's header keeps of the shard state. */
export interface ShardHeader {
  map?: ShardMap;
  frozen?: string[];
}

/** A ranking server's shard state. */
export class ShardState {
  /** The shard map as this shard last heard it. */
  map: ShardMap;
  /** False until the shard map is in the log (a fresh data folder: the engine logs it first). */
  placed = false;
  /** Boards whose writes are refused: they are being moved off this shard. */
  readonly frozen = new Set<string>();

  /** O(1). `shard` is this server's index; a fresh data folder starts with `shards` shards. */
  constructor(
    readonly shard: number,
    shards: number,
  ) {
    this.map = initialShardMap(shards);
  }

  /** O(shards · length). The shard the shard map puts `board` on. */
  owner(board: string): number {
    return placeBoard(this.map, board);
  }

  /**
   * O(shards · length). Refuses `cmd` on `board` when the board is not placed here
   * (SHARD_MISROUTED), or when it is a write and the board is frozen, or creates a board while
   * the shard map is sealed (BOARD_MOVING). `exists` tells whether the board is held here.
   */
  admit(cmd: CommandName, board: string, exists: boolean): void {
    const owner = this.owner(board);
    if (owner !== this.shard) {
      throw new ScoreboardError(
        ErrorCode.SHARD_MISROUTED,
        `Board "${board}" is on shard ${owner}, not on shard ${this.shard}.`,
      );
    }
    if (commandTable[cmd].reads) return;
    if (this.frozen.has(board) || (this.map.sealed && !exists && cmd === 'board.put')) {
      throw new ScoreboardError(ErrorCode.BOARD_MOVING, undefined, { retryAfter: RETRY_AFTER_SECONDS });
    }
  }

  /** O(1). Takes a shard map read back from a record, or set by a command. */
  restore(map: ShardMap): void {
    this.map = map;
    this.placed = true;
  }

  /** O(frozen). What a snapshot's header keeps. */
  header(): ShardHeader {
    return { ...(this.placed ? { map: this.map } : {}), frozen: [...this.frozen] };
  }

  /** O(frozen). Takes what a snapshot's header kept. */
  loadHeader(header: ShardHeader | undefined): void {
    if (header?.map) this.restore(header.map);
    for (const board of header?.frozen ?? []) this.frozen.add(board);
  }
}
