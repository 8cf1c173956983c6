/**
 * `pnpm bench:leagues [--players 1000000]`: the cost of leagues, in one process through the
 * engine's command handlers (so placements, tiers and results are the server's own code), memory
 * only. Three boards of `--players` players each, taking turns:
 *
 * - `plain`: no buckets; `buckets`: buckets of 30; `league`: buckets of 30 in three tiers, 20% up
 *   and 20% down each period.
 * - Each player's first write of a period (the one that places them), in writes per second and CPU
 *   µs per write; then the period's end (results written, tiers moved), in ms.
 * - The league plays a second period, its players now spread over the tiers, and ends it again.
 *
 * Prints a table and writes bench-results/leagues.json. Nothing here asserts speed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Command, type ArgsOf, type CommandName } from '@scoreboard/protocol';
import { RankingEngine, RankingState } from '@scoreboard/ranking-server';
import { seededRandom } from '@scoreboard/random';
import { pino } from 'pino';

const { values } = parseArgs({ options: { players: { type: 'string', default: '1000000' } } });
const PLAYERS = Number(values.players);
const rnd = seededRandom(7);

const state = new RankingState({ maxBoards: 10, maxPlayers: PLAYERS + 10 });
const engine = new RankingEngine({ state, logger: pino({ level: 'silent' }) });
let now = Date.UTC(2026, 11, 7);
engine.tick(now);
let id = 0;

/** Sends one command to the engine; throws on an error answer. */
function send<C extends CommandName>(cmd: C, args: ArgsOf<C>): unknown {
  const reply = engine.handle([{ ok: true, request: { id: ++id, cmd, args } } as never], now).replies[0]!;
  if (!reply.ok) throw new Error(`${cmd}: ${JSON.stringify(reply.error)}`);
  return 'json' in reply ? reply.json : (reply as { result: unknown }).result;
}

/** CPU µs (user + system) of this process so far. */
const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

interface Row {
  board: string;
  period: number;
  writesPerSecond: number;
  cpuUsPerWrite: number;
  periodEndMs: number;
  periodEndCpuMs: number;
}

/** Every player writes once (placing them), then the period ends; answers the figures. */
function playPeriod(board: string, period: number): Row {
  const totals = Array.from({ length: PLAYERS }, () => Math.floor(rnd() * 1_000_000));
  const c0 = cpu();
  const t0 = performance.now();
  for (let i = 0; i < PLAYERS; i++) send(Command.ScorePut, { board, user: `p${i}`, total: totals[i]! });
  const writeMs = performance.now() - t0;
  const writeCpu = cpu() - c0;
  now += 1000;
  const c1 = cpu();
  const t1 = performance.now();
  send(Command.BoardReset, { board });
  const endMs = performance.now() - t1;
  const endCpu = cpu() - c1;
  return {
    board,
    period,
    writesPerSecond: Math.round(PLAYERS / (writeMs / 1000)),
    cpuUsPerWrite: Number((writeCpu / PLAYERS).toFixed(2)),
    periodEndMs: Math.round(endMs),
    periodEndCpuMs: Math.round(endCpu / 1000),
  };
}

send(Command.BoardPut, { board: 'plain' });
send(Command.BoardPut, { board: 'buckets', bucket: { size: 30 } });
send(Command.BoardPut, {
  board: 'league',
  bucket: { size: 30 },
  tiers: [{ name: 'bronze' }, { name: 'silver' }, { name: 'gold' }],
  promote: '20%',
  relegate: '20%',
});
// Every player exists before the boards are measured, so none of them pays for making players.
send(Command.BoardPut, { board: 'warm' });
playPeriod('warm', 1);
const rows: Row[] = [];
for (const board of ['plain', 'buckets', 'league']) rows.push(playPeriod(board, 1));
rows.push(playPeriod('league', 2));
const results = JSON.parse(
  String(send(Command.PeriodResults, { board: 'league', period: 2, limit: 1000 })),
) as { results: { tier: string; nextTier: string }[] };
const moved = results.results.filter((r) => r.tier !== r.nextTier).length;

const plain = rows[0]!;
console.log(
  `bench:leagues — ${PLAYERS.toLocaleString('en')} players per board, in one process, memory only\n`,
);
console.log('board    period  writes/s   CPU µs/write  vs plain  period end ms  end CPU ms  vs plain');
for (const r of rows) {
  console.log(
    [
      r.board.padEnd(8),
      String(r.period).padStart(6),
      r.writesPerSecond.toLocaleString('en').padStart(9),
      r.cpuUsPerWrite.toFixed(2).padStart(13),
      `${(r.cpuUsPerWrite / plain.cpuUsPerWrite).toFixed(2)}×`.padStart(9),
      String(r.periodEndMs).padStart(14),
      String(r.periodEndCpuMs).padStart(11),
      `${(r.periodEndCpuMs / Math.max(1, plain.periodEndCpuMs)).toFixed(2)}×`.padStart(9),
    ].join(' '),
  );
}
console.log(`\nthe league's second period: ${moved} of the first 1 000 results moved a tier`);
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/leagues.json',
  JSON.stringify({ players: PLAYERS, rows, moved }, null, 2) + '\n',
);
