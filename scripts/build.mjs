// `pnpm build`: compiles every package (tsc -b), bundles the processes (bundle.mjs), then writes
// the stamp `pnpm start` reads to skip a build when no input changed since this one began.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { buildStamp, newestInput, root, writeBuildStamp } from './bootstrap.mjs';

const newest = newestInput();
rmSync(buildStamp, { force: true }); // a failed build leaves no stamp: the next start builds
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { stdio: 'inherit' });
writeBuildStamp(newest);
