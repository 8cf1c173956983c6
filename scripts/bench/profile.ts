/**
 * `pnpm bench:profile`: where each microsecond of a request goes. Starts ours (FSYNC=no, the
 * budget's board) with every Node process sampling its CPU (cpu-profile-preload.cjs: what
 * `--cpu-prof` does, which Node 20 refuses in NODE_OPTIONS), drives one workload with wrk for a
 * bounded time, stops the system so the profiles are written, and prints for the ranking server
 * and a client the functions with the most self time, in µs per request.
 *
 *   pnpm bench:profile [--workload "PUT absolute"] [--seconds 10] [--users 100000] [--top 25]
 *                      [--clients 2] [--out <folder for the .cpuprofile files>]
 *
 * Open a .cpuprofile in Chrome's DevTools (Performance) for the whole tree.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUDGET_USERS } from './budget.js';
import { fmt } from './report.js';
import { startOurs } from './systems/ours.js';
import { ALL_WORKLOADS } from './workloads/index.js';
import { runWrk } from './wrk.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'PUT absolute' },
    seconds: { type: 'string', default: '10' },
    users: { type: 'string', default: String(BUDGET_USERS) },
    clients: { type: 'string', default: '2' },
    top: { type: 'string', default: '25' },
    out: { type: 'string' },
  },
});
const workload = ALL_WORKLOADS.find((w) => w.name === values.workload);
if (!workload) {
  process.stderr.write(
    `bench:profile: --workload is one of ${ALL_WORKLOADS.map((w) => w.name).join(', ')}\n`,
  );
  process.exit(2);
}
const out = resolve(values.out ?? mkdtempSync(join(tmpdir(), 'scoreboard-profile-')));
mkdirSync(out, { recursive: true });
const users = Number(values.users);

/** A V8 CPU profile, as `--cpu-prof` writes it. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** O(samples). Self time in µs per function (name and place), heaviest first; idle time apart. */
function selfTimes(profile: CpuProfile): Array<{ name: string; us: number }> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byNode.get(profile.samples[i]!)!;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
    // A sample's time is the gap to the next one.
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  totals.delete('(idle)');
  return [...totals].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us);
}

// Every Node process of the system samples itself from start to exit (cpu-profile-preload.cjs).
const preload = fileURLToPath(new URL('./cpu-profile-preload.cjs', import.meta.url));
process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --require ${preload}`;
process.env['SCOREBOARD_CPU_PROFILE_DIR'] = out;
const sys = await startOurs(Number(values.clients), users, 'no');
delete process.env['NODE_OPTIONS'];
delete process.env['SCOREBOARD_CPU_PROFILE_DIR'];
const pids = sys.pids();
// Sampling starts now that the system is up (the preload starts it on SIGUSR2).
for (const pid of [...pids['ranking server']!, ...pids['clients']!]) process.kill(pid, 'SIGUSR2');
const r = runWrk(sys.url, workload, users, pids, { seconds: Number(values.seconds), connections: 64 });
await sys.stop();

process.stdout.write(
  `${workload.name}: ${fmt(r.rps)} req/s, ${r.requests} requests; CPU µs/request ${Object.entries(r.cpuUs)
    .map(([k, v]) => `${k} ${fmt(v, 1)}`)
    .join(', ')} (sampling adds its own cost)\n`,
);
const files = readdirSync(out).filter((f) => f.endsWith('.cpuprofile'));
const roles: Array<[string, number]> = [
  ['ranking server', pids['ranking server']![0]!],
  ['client', pids['clients']![0]!],
];
for (const [role, pid] of roles) {
  const file = files.find((f) => f === `${pid}.cpuprofile`);
  if (!file) {
    process.stdout.write(`\n${role} (pid ${pid}): no profile written\n`);
    continue;
  }
  const profile = JSON.parse(readFileSync(join(out, file), 'utf8')) as CpuProfile;
  const times = selfTimes(profile);
  const total = times.reduce((s, t) => s + t.us, 0);
  // A client served about its share of the requests.
  const served = role === 'client' ? r.requests / pids['clients']!.length : r.requests;
  process.stdout.write(`\n${role} (${join(out, file)}): µs per request by self time\n`);
  for (const t of times.slice(0, Number(values.top))) {
    process.stdout.write(
      `  ${fmt(t.us / served, 2).padStart(7)}  ${fmt((100 * t.us) / total, 1).padStart(5)} %  ${t.name}\n`,
    );
  }
}
