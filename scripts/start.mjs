// `npm start` / `pnpm start`: bootstrap a fresh clone, then run the launcher in the foreground.
// The launcher handles Ctrl-C and SIGTERM itself; this wrapper only forwards them and exits
// with the launcher's code.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bootstrap, root } from './bootstrap.mjs';

bootstrap();
const launcher = spawn(
  process.execPath,
  [join(root, 'packages/launcher/dist/launcher.mjs'), ...process.argv.slice(2)],
  {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  },
);
launcher.on('message', (msg) => process.send?.(msg));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => launcher.kill(signal));
}
launcher.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
