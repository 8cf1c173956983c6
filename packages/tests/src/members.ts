/**
 * Helpers of the replication tests: a shard's members as `GET /cluster` shows them, a client
 * straight to one member over ZeroMQ, and a member's metrics.
 */
import { Command, ErrorCode } from '@scoreboard/protocol';
import { RankingClient } from '@scoreboard/gateway';
import { pino } from 'pino';
import type { Supervised } from '@scoreboard/launcher';
import { http, waitFor, type Cluster } from './harness.js';

/** A member as `GET /cluster` lists it. */
export interface Member {
  endpoint: string;
  role: string;
  lag: number;
}

/** Open direct clients, stopped by {@link stopDirectClients}. */
const clients: RankingClient[] = [];

/** A client of one ranking server, straight over ZeroMQ (calls retried until it is connected). */
export function direct(endpoint: string) {
  const c = new RankingClient({ endpoint, logger: pino({ level: 'silent' }), timeoutMs: 3000 });
  c.start();
  clients.push(c);
  return {
    call: async <C extends Parameters<RankingClient['call']>[0]>(
      cmd: C,
      args: Parameters<RankingClient['call']>[1],
    ) => {
      for (let tries = 0; ; tries++) {
        try {
          return await c.call(cmd, args as never, { probe: true });
        } catch (err) {
          // Not connected yet: a DEALER with `immediate` refuses to queue.
          if ((err as { code?: string }).code !== ErrorCode.RANKING_UNAVAILABLE || tries > 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
  };
}

/** Stops every client {@link direct} made. */
export async function stopDirectClients(): Promise<void> {
  for (const c of clients.splice(0)) await c.stop();
}

/** The value of an unlabelled metric in a Prometheus scrape. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name} not in the scrape`);
  return Number(m[1]);
}

/** Shard 0 as `GET /cluster` at `url` shows it now, or undefined when it does not answer. */
export async function shardZero(url: string): Promise<{ epoch: number; members: Member[] } | undefined> {
  const r = await http(`${url}/cluster`);
  if (r.status !== 200) return undefined;
  return (r.body as { shards: Array<{ epoch: number; members: Member[] }> }).shards[0];
}

/** Waits until shard 0 has a primary and a standby at lag 0; answers the epoch and them. */
export async function inStep(
  url: string,
  timeoutMs = 30_000,
): Promise<{ epoch: number; primary: Member; standby: Member }> {
  let found: { epoch: number; primary: Member; standby: Member } | undefined;
  await waitFor(
    async () => {
      const shard = await shardZero(url);
      const [primary, standby] = shard?.members ?? [];
      if (!shard || !primary || !standby || standby.lag !== 0 || primary.role !== 'primary') return false;
      found = { epoch: shard.epoch, primary, standby };
      return true;
    },
    timeoutMs,
    'a primary and a standby in step',
  );
  return found!;
}

/** The state digests of primary (through `url`) and standby once they are in step, and who they are. */
export async function compare(url: string) {
  const step = await inStep(url);
  const primary = (await http(`${url}/debug/digest`)).body as { digest: string };
  const copy = (await direct(step.standby.endpoint).call(Command.Digest, {})) as { digest: string };
  return { ...step, digests: [primary.digest, copy.digest] };
}

/** The process serving `endpoint` (a member's ranking endpoint). */
export function processAt(c: Cluster, endpoint: string): Supervised {
  const { shards, standbys } = c.launcher.children;
  if (endpoint === c.endpoints.rankingEndpoint) return shards[0]!;
  const i = c.endpoints.standbyEndpoints.indexOf(endpoint);
  if (i < 0) throw new Error(`no member at ${endpoint}`);
  return standbys[i]!;
}
