/**
 * Offline resharding: the data folders of N shards become those of M shards. Each source folder
 * is loaded whole (snapshot and log, as a server would at start-up); each target folder gets one
 * snapshot holding the boards the hash places on it (taken from the shard that held them), every
 * profile, the API keys (shard 0) and every remembered idempotency key (a retry may now reach a
 * board's new shard). Nothing is written into a source folder's data: the caller writes the
 * targets into fresh folders and swaps them in.
 *
 * The system must be stopped while it runs: writes pause from the stop to the next start.
 */
import { initialShardMap, placeBoard, shardOf } from '@scoreboard/protocol';
import type { Logger } from 'pino';
import type { LogRecord } from '../records/index.js';
import { RecordType } from '../records/index.js';
import { writeSnapshot } from '../persistence/snapshot.js';
import { DurableStore } from '../persistence/store.js';
import { RankingState } from '../engine/state.js';

/** What a reshard did. */
export interface ReshardReport {
  /** For each board, the shard it was on and the shard it is on now. */
  boards: Record<string, { from: number; to: number }>;
  /** Records written into each target's snapshot. */
  records: number[];
  ms: number;
}

/** O(size of the data). Loads one shard's folder (read-only in effect: nothing is appended). */
async function load(dir: string, logger: Logger): Promise<RankingState> {
  const state = new RankingState({ maxBoards: 65_535, maxPlayers: 1_000_000_000 });
  const store = DurableStore.open({
    dir,
    policy: 'no',
    target: state,
    logger,
    recover: false,
    snapshotBytes: Number.MAX_SAFE_INTEGER,
  });
  await store.close();
  return state;
}

/** The board a snapshot record belongs to, if it belongs to one. */
const boardOf = (rec: LogRecord): string | undefined =>
  'board' in rec && typeof rec.board === 'string' ? rec.board : undefined;

/**
 * O(size of the data). Writes into `targets` (empty folders, one per new shard, in shard order)
 * the snapshots of `sources` (the folders of the current shards, in shard order) resharded.
 */
export async function reshard(sources: string[], targets: string[], logger: Logger): Promise<ReshardReport> {
  const started = performance.now();
  const states: RankingState[] = [];
  for (const dir of sources) states.push(await load(dir, logger));
  const to = targets.length;
  // Shard 0's map says where each board is (a board may be held twice while a move is under way,
  // and every shard has a `default` board of its own); only that copy is taken.
  const map = states[0]!.shard.map;
  const from = (board: string): number => placeBoard(map, board);
  const boards = states.flatMap((state, s) =>
    state.data
      .list()
      .filter((board) => from(board.id) === s)
      .map((board) => ({ id: board.id, period: board.period.id, from: s, to: shardOf(board.id, to) })),
  );
  const report: ReshardReport = {
    boards: Object.fromEntries(boards.map((b) => [b.id, { from: b.from, to: b.to }])),
    records: [],
    ms: 0,
  };
  const nextSeq = Math.max(...states.map((st) => st.snapshotSource().nextSeq()));
  const keyVersion = states[0]!.apiKeys.version;
  for (const [t, dir] of targets.entries()) {
    // The header's note of each board's live period (read before the records are walked).
    const periods = Object.fromEntries(boards.filter((b) => b.to === t).map((b) => [b.id, b.period]));
    function* records(): Generator<LogRecord> {
      for (const [s, state] of states.entries()) {
        const source = state.snapshotSource();
        for (let r = source.records.next(); !r.done; r = source.records.next()) {
          const rec = r.value;
          const board = boardOf(rec);
          if (board !== undefined) {
            if (from(board) !== s || shardOf(board, to) !== t) continue;
            yield rec;
          } else if (rec.type === RecordType.Profiles || rec.type === RecordType.KeyPut) {
            if (s === 0 && (rec.type === RecordType.Profiles || t === 0)) yield rec; // the same on every shard
          } else {
            yield rec; // remembered idempotency keys: wherever a retry may land
          }
        }
      }
    }
    const written = await writeSnapshot(dir, 1, {
      records: records(),
      nextSeq: () => nextSeq,
      // Every shard starts with the new layout (the epoch moves on: the map changed).
      state: () => ({
        periods,
        keyVersion,
        map: { ...initialShardMap(to), epoch: map.epoch + 1 },
        frozen: [],
      }),
    });
    report.records.push(written.records);
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}
