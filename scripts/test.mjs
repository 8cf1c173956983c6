// `npm test` / `pnpm test`: bootstrap a fresh clone, run every vitest suite once (the load tests
// after the rest, one at a time), and end with the plain line "N passed, N failed" counted from
// vitest's JSON reports. Extra arguments go to one vitest run (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, root } from './bootstrap.mjs';

const pnpmCmd = bootstrap();
ensureDebian(['nginx', 'wrk', 'chromium']);
const [cmd, ...pre] = pnpmCmd;
const extra = process.argv.slice(2);

/** Runs vitest once with `args`; answers its exit status and the passed and failed counts. */
function vitest(name, args) {
  const report = join(root, `.vitest-report${name}.json`);
  rmSync(report, { force: true });
  const run = spawnSync(
    cmd,
    [
      ...pre,
      'exec',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...args,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (!existsSync(report)) return { status: run.status ?? 1, passed: 0, failed: 1 };
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const failed =
    (json.numFailedTests ?? 0) +
    (json.numFailedTestSuites && !json.numFailedTests ? json.numFailedTestSuites : 0);
  return { status: run.status ?? 1, passed: json.numPassedTests ?? 0, failed };
}

// Every suite in parallel, then the load tests (*.load.test.ts) one at a time on an otherwise quiet
// machine: a flood of thousands of connections would starve the timing of the others, and they its
// figures. Arguments (a file filter) run one vitest with them instead.
const runs =
  extra.length > 0
    ? [vitest('', extra)]
    : [
        vitest('', ['--exclude', '**/*.load.test.ts']),
        vitest('-load', ['--no-file-parallelism', '.load.test.ts']),
      ];
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(runs.every((r) => r.status === 0) && failed === 0 && passed > 0 ? 0 : 1);

/**
 * The end-to-end tests run a real nginx, and the load tests wrk: install what is missing from
 * Debian when we can (as root with apt-get), else say which tests will fail. The browser tests
 * drive Debian's chromium (never a downloaded browser).
 */
function ensureDebian(packages) {
  const has = (cmd) =>
    spawnSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`], { stdio: 'ignore' }).status ===
    0;
  const missing = packages.filter((p) => !has(p));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get')) {
    process.stderr.write(`[test] installing ${missing.join(' ')} from Debian (apt-get install)\n`);
    spawnSync(
      'sh',
      [
        '-c',
        `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`,
      ],
      { stdio: 'inherit' },
    );
  }
  const still = packages.filter((p) => !has(p));
  if (still.length > 0) {
    process.stderr.write(
      `[test] ${still.join(' and ')} not installed: the tests that need them will fail. Install them (e.g. sudo apt-get install ${still.join(' ')}) and run again.\n`,
    );
  }
}
