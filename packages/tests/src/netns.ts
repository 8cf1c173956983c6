/**
 * Simulated hosts for integration tests: Linux network namespaces joined by a bridge, as machines
 * on one network. Needs root. Everything made carries a random tag and is removed by `remove()`,
 * whatever happened, with every process still running in the namespaces.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';

/** One simulated machine: its namespace, its end of the link to the bridge, its address. */
export interface Host {
  ns: string;
  veth: string;
  ip: string;
}

const sh = (...args: string[]): void => void execFileSync('ip', args, { stdio: 'pipe' });
const quietly = (f: () => void): void => {
  try {
    f();
  } catch {
    // already gone
  }
};

/** `count` hosts on a private /24 of their own. */
export class SimulatedHosts {
  readonly hosts: Host[];
  private readonly bridge: string;
  private readonly rootIp: string;
  private readonly children: ChildProcess[] = [];

  /** O(count). Names them; nothing is made before build(). */
  constructor(count: number) {
    const tag = Math.random().toString(36).slice(2, 7);
    // This machine's own network is elsewhere; a clash fails the set-up loudly.
    const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
    this.bridge = `sbbr${tag}`;
    this.rootIp = `${subnet}.254`;
    this.hosts = Array.from({ length: count }, (_, i) => ({
      ns: `sb${tag}h${i + 1}`,
      veth: `sb${tag}v${i + 1}`,
      ip: `${subnet}.${i + 1}`,
    }));
  }

  /** Makes the bridge, the namespaces and their links (the test machine is on the bridge too). */
  build(): void {
    sh('link', 'add', this.bridge, 'type', 'bridge');
    sh('addr', 'add', `${this.rootIp}/24`, 'dev', this.bridge);
    sh('link', 'set', this.bridge, 'up');
    for (const h of this.hosts) {
      sh('netns', 'add', h.ns);
      sh('link', 'add', h.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns);
      sh('link', 'set', h.veth, 'master', this.bridge);
      sh('link', 'set', h.veth, 'up');
      sh('-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0');
      sh('-n', h.ns, 'link', 'set', 'eth0', 'up');
      sh('-n', h.ns, 'link', 'set', 'lo', 'up');
    }
  }

  /** Cuts host `h` off the network (`false`) or joins it again (`true`). */
  link(h: Host, up: boolean): void {
    sh('link', 'set', h.veth, up ? 'up' : 'down');
  }

  /** Starts `command` on host `h` (ip netns exec replaces itself with it: the same pid). */
  run(h: Host, command: string, args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', h.ns, command, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.children.push(child);
    return child;
  }

  /** Kills every process started or still running on the hosts, and removes what build() made. */
  remove(): void {
    for (const child of this.children) quietly(() => child.kill('SIGKILL'));
    for (const h of this.hosts) {
      quietly(() => {
        const pids = execFileSync('ip', ['netns', 'pids', h.ns]).toString().split('\n').filter(Boolean);
        for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
      });
    }
    for (const h of this.hosts) {
      quietly(() => sh('link', 'del', h.veth));
      quietly(() => sh('netns', 'del', h.ns));
    }
    quietly(() => sh('link', 'del', this.bridge));
  }
}
