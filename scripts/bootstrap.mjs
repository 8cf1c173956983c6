// Makes a fresh clone runnable with only Node and npm: installs pnpm (the version pinned in
// package.json) if it is missing, installs the dependencies when the lockfile changed, and
// builds the packages. Plain JavaScript on purpose: it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager; // pnpm@x.y.z

function say(line) {
  process.stderr.write(`[bootstrap] ${line}\n`);
}

function works(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore', shell: process.platform === 'win32' }).status === 0;
}

/**
 * The command that runs pnpm: the pnpm that started this script (no process spawned: asking
 * `pnpm --version` costs most of a second), else pnpm on PATH, else installed now with npm, else
 * npx as a last resort.
 */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (process.env.npm_config_user_agent?.startsWith('pnpm/') && execPath && existsSync(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath];
  }
  if (works('pnpm', ['--version'])) return ['pnpm'];
  say(`pnpm not found; installing ${pinned} with npm (corepack is not used)`);
  if (
    spawnSync('npm', ['install', '--global', pinned], { stdio: 'inherit' }).status === 0 &&
    works('pnpm', ['--version'])
  ) {
    return ['pnpm'];
  }
  say(`global install failed; using npx ${pinned}`);
  return ['npx', '--yes', pinned];
}

/** Runs pnpm with arguments in the repository root; throws if it fails. */
export function pnpm(pnpmCmd, args) {
  const [cmd, ...pre] = pnpmCmd;
  execFileSync(cmd, [...pre, ...args], { cwd: root, stdio: 'inherit' });
}

function installNeeded() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs;
}

/** Written after every successful build; its time is when the outputs were last made whole. */
export const buildStamp = join(root, 'node_modules', '.scoreboard-build-stamp');

/** The newest modification time (ms) of any file under `path`, skipping dist, node_modules and dot folders; 0 if none. */
function newestUnder(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its folder's time
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestUnder(join(path, entry.name)));
  }
  return newest;
}

/**
 * Whether `pnpm run build` has anything to do: true when the stamp is missing or any input (the
 * packages' sources, their package and tsconfig files, the root build configs, the bundler
 * script, the lockfile) is newer than it. O(files) stats, a few ms on this repository; a
 * checkout sets the changed files' times to now, so switching branches rebuilds.
 */
export function buildNeeded(base = root, stamp = buildStamp) {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const inputs = [
    join(base, 'packages'),
    join(base, 'tsconfig.base.json'),
    join(base, 'tsconfig.build.json'),
    join(base, 'package.json'),
    join(base, 'pnpm-lock.yaml'),
    join(base, 'scripts', 'bundle.mjs'),
  ];
  return inputs.some((input) => newestUnder(input) > built);
}

/** Builds with pnpm, then stamps the outputs as whole (a failed build leaves no stamp behind). */
export function build(pnpmCmd) {
  const started = Date.now();
  rmSync(buildStamp, { force: true });
  pnpm(pnpmCmd, ['--silent', 'run', 'build']);
  writeFileSync(buildStamp, '');
  // The stamp's time is the build's start: a source saved during the build is still newer.
  utimesSync(buildStamp, started / 1000, started / 1000);
}

/** Installs and builds as needed; answers the pnpm command for further use. */
export function bootstrap() {
  const pnpmCmd = pnpmCommand();
  if (installNeeded()) {
    say('installing dependencies');
    pnpm(pnpmCmd, ['install', '--frozen-lockfile']);
  }
  if (buildNeeded()) build(pnpmCmd);
  return pnpmCmd;
}
