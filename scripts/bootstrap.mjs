// Makes a fresh clone runnable with only Node and npm: installs pnpm (the version pinned in
// package.json) if it is missing, installs the dependencies when the lockfile changed, and
// builds the packages. Plain JavaScript on purpose: it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Written by `pnpm build` (scripts/build.mjs) after it succeeds: the newest input time it saw
 * before it started, so a source saved during a build is still newer than the stamp.
 */
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
 * The newest modification time (ms) of the build's inputs: the packages' sources, package and
 * tsconfig files, the root build configs, the build scripts and the lockfile. O(files) stats, a
 * few ms on this repository.
 */
export function newestInput(base = root) {
  return Math.max(
    ...[
      'packages',
      'tsconfig.base.json',
      'tsconfig.build.json',
      'package.json',
      'pnpm-lock.yaml',
      'scripts/build.mjs',
      'scripts/bundle.mjs',
    ].map((input) => newestUnder(join(base, input))),
  );
}

/**
 * Whether `pnpm run build` has anything to do: true when the stamp is missing or unreadable, or
 * any input is newer than the newest the last build saw. A checkout sets the changed files'
 * times to now, so switching branches rebuilds.
 */
export function buildNeeded(base = root, stamp = buildStamp) {
  let built;
  try {
    built = Number(readFileSync(stamp, 'utf8'));
  } catch {
    return true;
  }
  return !Number.isFinite(built) || newestInput(base) > built;
}

/** Writes the stamp: `newest` is what newestInput() answered before the build started. */
export function writeBuildStamp(newest, stamp = buildStamp) {
  writeFileSync(stamp, String(newest));
}

/** Installs and builds as needed; answers the pnpm command for further use. */
export function bootstrap() {
  const pnpmCmd = pnpmCommand();
  if (installNeeded()) {
    say('installing dependencies');
    pnpm(pnpmCmd, ['install', '--frozen-lockfile']);
  }
  if (buildNeeded()) pnpm(pnpmCmd, ['--silent', 'run', 'build']);
  return pnpmCmd;
}
