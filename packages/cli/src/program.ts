/**
 * The `scoreboard` command line (commander): every command has `--help`; `--url` (default
 * http://127.0.0.1:8080, or SCOREBOARD_URL) and `--key` (or SCOREBOARD_KEY) reach the service.
 * Data goes to stdout, progress and messages to stderr; an API error exits 1 naming its code.
 */
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { Api, ApiError } from './api.js';
import { exportRows } from './export-rows.js';
import { MAX_RESULTS_PAGE, MAX_SHARDS } from '@scoreboard/protocol';
import { MAX_BATCH, importRows } from './import-rows.js';
import { RowError, rowLine, type PlayerRow } from './rows.js';
import { samplePlayers } from './sample.js';
import { reshardDataDir } from './reshard-folders.js';
import { reshardLive } from './reshard-live.js';

/** Where a program writes; the process's streams unless a test gives its own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (the progress bar draws only then). */
  tty: boolean;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  tty: process.stderr.isTTY === true,
};

/** O(1). A commander parser of an integer in [min, max]. */
function int(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`an integer from ${min} to ${max}`);
    return n;
  };
}

/** O(rows). Writes `rows` to stdout as NDJSON, in chunks of about 64 KiB. */
async function writeRows(io: Io, rows: Iterable<PlayerRow> | AsyncIterable<PlayerRow>): Promise<void> {
  let chunk = '';
  for await (const row of rows) {
    chunk += rowLine(row) + '\n';
    if (chunk.length > 1 << 16) {
      io.out(chunk);
      chunk = '';
    }
  }
  io.out(chunk);
}

/** O(periods). The id of a board's latest finished period; exits with a message when it has none. */
async function latestFinished(api: Api, path: string): Promise<number> {
  const periods = await api.request<Array<{ id: number }>>('GET', `${path}/periods`);
  const finished = periods[1];
  if (!finished) throw new Error('the board has no finished period yet');
  return finished.id;
}

/** O(rows). A table of `rows` with `columns`, padded, for a terminal. */
function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const text = (v: unknown): string =>
    v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  const cells = [columns, ...rows.map((r) => columns.map((c) => text(r[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return (
    cells
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** O(1). The program; `parseAsync(argv)` runs one command. */
export function buildProgram(io: Io = processIo): Command {
  const program = new Command('scoreboard')
    .description('The scoreboard from the command line, over its HTTP API.')
    .option('--url <url>', 'where the service is', process.env['SCOREBOARD_URL'] ?? 'http://127.0.0.1:8080')
    .option('--key <key>', 'API key (Authorization: Bearer)', process.env['SCOREBOARD_KEY'])
    .option('--json', 'print JSON instead of tables')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    // Set before the commands are added, so they inherit it: `run()` decides the exit code.
    .exitOverride()
    .showHelpAfterError();
  const api = () => {
    const o = program.opts<{ url: string; key?: string }>();
    return new Api({ url: o.url, ...(o.key ? { key: o.key } : {}) });
  };
  const json = () => program.opts<{ json?: boolean }>().json === true;
  const print = (value: unknown, columns?: string[]) => {
    if (json() || !columns || !Array.isArray(value)) io.out(JSON.stringify(value, null, 2) + '\n');
    else io.out(table(value as Array<Record<string, unknown>>, columns));
  };

  program
    .command('sample')
    .description('write sample players as NDJSON lines {"user","name","country","total"} to stdout')
    .option('--players <n>', 'how many', int(1, 10_000_000), 1000)
    .option('--seed <n>', 'the same seed gives the same players', int(0, 2 ** 32 - 1), 1)
    .action((o: { players: number; seed: number }) => writeRows(io, samplePlayers(o.players, o.seed)));

  program
    .command('import')
    .description(
      'import players (NDJSON, a JSON array or CSV: user,name,country,total) into a board; resumable',
    )
    .argument('<file>', 'the rows to import')
    .requiredOption(
      '--board <id>',
      'the board (created with the defaults, or --operator/--order, if missing)',
    )
    .option('--batch <n>', `rows per request (1–${MAX_BATCH})`, int(1, MAX_BATCH), MAX_BATCH)
    .option('--operator <op>', 'operator of a board the import creates: set or best')
    .option('--order <order>', 'order of a board the import creates: desc or asc')
    .action(async (file: string, o: { board: string; batch: number; operator?: string; order?: string }) => {
      const bar = io.tty
        ? new SingleBar({ stream: process.stderr, hideCursor: true }, Presets.shades_classic)
        : undefined;
      let started = false;
      const result = await importRows(api(), file, {
        board: o.board,
        batch: o.batch,
        create: { ...(o.operator ? { operator: o.operator } : {}), ...(o.order ? { order: o.order } : {}) },
        progress: (done, total) => {
          if (!bar) return;
          if (!started) bar.start(total, done);
          else bar.update(done);
          started = true;
        },
      });
      bar?.stop();
      io.err(
        `imported ${result.rows} rows into "${o.board}" in ${result.batches} batches` +
          (result.resumedBatches ? ` (resumed after ${result.resumedBatches} done before)` : '') +
          (result.createdBoard ? '; created the board' : '') +
          '\n',
      );
    });

  program
    .command('export')
    .description("write a board's rows, best first, as NDJSON (the import's format) to stdout")
    .argument('<board>', 'the board')
    .action((board: string) => writeRows(io, exportRows(api(), board)));

  program
    .command('boards')
    .description('list the boards')
    .action(async () =>
      print(await api().request('GET', '/boards'), ['board', 'order', 'operator', 'count']),
    );

  program
    .command('top')
    .description('the top of a board')
    .argument('<board>', 'the board')
    .argument('[n]', 'how many rows', int(1, 10_000), 10)
    .action(async (board: string, n: number) =>
      print(await api().request('GET', `/boards/${encodeURIComponent(board)}/top/${n}`), [
        'rank',
        'user',
        'total',
        'name',
        'country',
      ]),
    );

  program
    .command('results')
    .description("a finished period's results (the latest finished period unless one is given)")
    .argument('<board>', 'the board')
    .argument('[period]', 'the period id', int(1, Number.MAX_SAFE_INTEGER))
    .action(async (board: string, period: number | undefined) => {
      const path = `/boards/${encodeURIComponent(board)}`;
      const id = period ?? (await latestFinished(api(), path));
      const results: Array<Record<string, unknown>> = [];
      for (let after: string | null | undefined; after !== null;) {
        const query = `?limit=${MAX_RESULTS_PAGE}${after ? `&after=${after}` : ''}`;
        const page = await api().request<{ results: Array<Record<string, unknown>>; next: string | null }>(
          'GET',
          `${path}/periods/${id}/results${query}`,
        );
        results.push(...page.results);
        after = page.next;
      }
      print(results, ['tier', 'bucket', 'rank', 'user', 'total', 'nextTier', 'reward']);
    });

  program
    .command('cluster')
    .description("each shard's primary and standbys, with their lag and the primary's epoch (admin)")
    .action(async () => {
      const { shards } = await api().request<{
        shards: Array<{ shard: number; epoch: number; members: Array<Record<string, unknown>> }>;
      }>('GET', '/cluster');
      print(
        shards.flatMap((s) => s.members.map((m) => ({ shard: s.shard, epoch: s.epoch, ...m }))),
        ['shard', 'epoch', 'role', 'endpoint', 'lag'],
      );
    });

  program
    .command('player')
    .description("a player's profile and ranks on every board")
    .argument('<user>', 'the player')
    .action(async (user: string) =>
      print(await api().request('GET', `/players/${encodeURIComponent(user)}`)),
    );

  program
    .command('reshard')
    .description(
      'move boards over another number of shards: live through --url (every shard running, every ' +
        'client listing them), or, with --data-dir and --from, in the data folder of a STOPPED system',
    )
    .requiredOption('--to <n>', 'the shard count to spread boards over', int(1, MAX_SHARDS))
    .option('--data-dir <dir>', 'offline: the data folder (DATA_DIR) of the stopped system')
    .option('--from <n>', 'offline: the shard count it was used with', int(1, MAX_SHARDS))
    .action(async (o: { dataDir?: string; from?: number; to: number }) => {
      if (o.dataDir !== undefined || o.from !== undefined) {
        if (o.dataDir === undefined || o.from === undefined) {
          throw new Error('offline resharding needs both --data-dir and --from');
        }
        const r = await reshardDataDir(o.dataDir, o.from, o.to);
        io.err(
          `resharded ${r.boards} boards from ${o.from} to ${o.to} shards (${r.moved} moved) in ${r.ms} ms; ` +
            `the old folder is kept as ${r.backup}\n`,
        );
        return;
      }
      const r = await reshardLive(api(), o.to, (m) =>
        io.err(
          `moved ${m.board} from shard ${m.from} to ${m.to}: ${m.entries} entries, writes paused ${m.pausedMs} ms\n`,
        ),
      );
      const longest = Math.max(0, ...r.moves.map((m) => m.pausedMs));
      io.err(
        `resharded live to ${o.to} shards: ${r.moves.length} boards moved, ${r.kept} stayed, in ${r.ms} ms; ` +
          `the longest pause of a board's writes was ${longest} ms\n`,
      );
    });

  const keys = program.command('keys').description('API keys (with an admin --key)');
  keys
    .command('create')
    .description('make a key; its secret is printed once')
    .argument('<name>', 'the key name')
    .option('--scopes <list>', 'comma-separated: read, write, admin', 'read')
    .option('--boards <list>', 'comma-separated boards the key is limited to')
    .option('--rate <n>', 'requests per second allowed to this key', int(1, 10_000_000))
    .action(async (name: string, o: { scopes: string; boards?: string; rate?: number }) => {
      const body = {
        name,
        scopes: o.scopes.split(',').filter(Boolean),
        ...(o.boards ? { boards: o.boards.split(',').filter(Boolean) } : {}),
        ...(o.rate ? { rate: o.rate } : {}),
      };
      print(await api().request('POST', '/keys', body));
    });
  keys
    .command('list')
    .description('list the keys (never their secrets)')
    .action(async () =>
      print(await api().request('GET', '/keys'), ['name', 'scopes', 'boards', 'rate', 'created']),
    );
  keys
    .command('revoke')
    .description('revoke a key (every client within a second)')
    .argument('<name>', 'the key name')
    .action(async (name: string) => {
      await api().request('DELETE', `/keys/${encodeURIComponent(name)}`);
      io.err(`revoked "${name}"\n`);
    });
  return program;
}

/** Runs the program on `argv`; answers the exit code (1 for an API or input error, said on stderr). */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode ?? 1;
    if (err instanceof ApiError || err instanceof RowError) {
      io.err(`scoreboard: ${err.message}\n`);
      return 1;
    }
    io.err(`scoreboard: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
