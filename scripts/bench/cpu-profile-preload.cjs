/**
 * Preloaded by `pnpm bench:profile` (NODE_OPTIONS="--require …"; Node 20 refuses --cpu-prof
 * there): samples this process's CPU through the inspector from SIGUSR2 (so start-up stays out
 * of the profile) to exit, and writes `<pid>.cpuprofile` into SCOREBOARD_CPU_PROFILE_DIR, the
 * format --cpu-prof writes.
 */
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.SCOREBOARD_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
  process.on('SIGUSR2', () => session.post('Profiler.start'));
  // The main thread's session answers synchronously, so the profile is written before exit.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
