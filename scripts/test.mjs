// `npm test` / `pnpm test`: bootstrap a fresh clone, run every vitest suite once, and end with
// the plain line "N passed, N failed" counted from vitest's JSON report. Extra arguments go to
// vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, root } from './bootstrap.mjs';

const pnpmCmd = bootstrap();
ensureNginx();
const report = join(root, '.vitest-report.json');
rmSync(report, { force: true });
const [cmd, ...pre] = pnpmCmd;
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
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed =
    (json.numFailedTests ?? 0) +
    (json.numFailedTestSuites && !json.numFailedTests ? json.numFailedTestSuites : 0);
} else {
  failed = 1;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);

/** The nginx and end-to-end tests run a real nginx: install it from Debian when we can. */
function ensureNginx() {
  const has = (cmd) =>
    spawnSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`], { stdio: 'ignore' }).status ===
    0;
  if (has('nginx')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && has('apt-get')) {
    process.stderr.write('[test] nginx is missing; installing it from Debian (apt-get install nginx)\n');
    spawnSync(
      'sh',
      [
        '-c',
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx',
      ],
      { stdio: 'inherit' },
    );
    if (has('nginx')) return;
  }
  process.stderr.write(
    '[test] nginx is not installed: the nginx and end-to-end tests will fail. Install it (e.g. sudo apt-get install nginx) and run again.\n',
  );
}
