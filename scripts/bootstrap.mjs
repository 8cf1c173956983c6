// Makes a fresh clone runnable with only Node and npm: installs pnpm (the version pinned in
// package.json) if it is missing, installs the dependencies when the lockfile changed, and
// builds the packages. Plain JavaScript on purpose: it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** The command that runs pnpm: on PATH, or installed now with npm, or through npx as a last resort. */
export function pnpmCommand() {
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

/** Installs and builds as needed; answers the pnpm command for further use. */
export function bootstrap() {
  const pnpmCmd = pnpmCommand();
  if (installNeeded()) {
    say('installing dependencies');
    pnpm(pnpmCmd, ['install', '--frozen-lockfile']);
  }
  pnpm(pnpmCmd, ['--silent', 'run', 'build']);
  return pnpmCmd;
}
