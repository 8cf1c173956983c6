/**
 * The one-member etcd the launcher runs for the shards' elections (REPLICAS > 0 without
 * ETCD_ENDPOINTS), and the tests run on simulated hosts: where to find it and its command line.
 */
import { findBinary } from './nginx.js';

/** Where one etcd member listens and keeps its data. */
export interface EtcdSetup {
  name: string;
  dataDir: string;
  /** The address it listens on and advertises (clients and its one peer URL). */
  host: string;
  /** Its client port; the peer port is the next one. */
  clientPort: number;
}

/** O(PATH). The etcd binary (Debian's etcd-server puts it in /usr/bin), or undefined. */
export function findEtcd(): string | undefined {
  return findBinary('etcd');
}

/**
 * O(1). The flags of a one-member etcd: leases checkpointed and the checkpoints persisted, so
 * that an etcd restart or leader change does not renew a dead primary's lease.
 */
export function etcdArgs(s: EtcdSetup): string[] {
  const client = `http://${s.host}:${s.clientPort}`;
  const peer = `http://${s.host}:${s.clientPort + 1}`;
  return [
    `--name=${s.name}`,
    `--data-dir=${s.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${s.name}=${peer}`,
    '--logger=zap',
    '--log-level=error',
    '--experimental-enable-lease-checkpoint',
    '--experimental-enable-lease-checkpoint-persist',
  ];
}

/** O(variables). The environment without ETCD_* variables, which etcd would read as its flags. */
export function etcdEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => !e[0].startsWith('ETCD_') && e[1] !== undefined),
  );
}
