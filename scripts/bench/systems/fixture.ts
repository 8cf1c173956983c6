/** Starts `count` copies of a fixture process (the peer's or the ceiling's) and nginx in front. */
import { settingsEnv } from '@scoreboard/config';
import { httpClientSettings } from '@scoreboard/gateway/config';
import { Supervised, findNginx, nginxProcess } from '@scoreboard/launcher';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { freePorts } from '@scoreboard/tests/harness';

const logger = pino({ level: 'warn' });

/** The processes of a fixture and the nginx in front of them. */
export interface Fixture {
  procs: Supervised[];
  nginx: Supervised;
  url: string;
  stopAll: () => Promise<void>;
}

/** Starts the fixture `main` on `count` consecutive free ports (as the clients would be) behind nginx. */
export async function startFixture(
  main: string,
  count: number,
  extraEnv: Record<string, string>,
): Promise<Fixture> {
  const base = await freePorts(count + 1);
  const procs = Array.from(
    { length: count },
    (_, i) =>
      new Supervised(
        {
          name: `fixture-${base + i}`,
          command: process.execPath,
          args: [main],
          env: {
            ...process.env,
            ...extraEnv,
            ...settingsEnv({ port: httpClientSettings.port }, { port: base + i }),
          },
          ipc: true,
        },
        logger,
      ),
  );
  await Promise.all(procs.map((p) => p.start()));
  const prefix = mkdtempSync(join(tmpdir(), 'scoreboard-bench-nginx-'));
  const nginx = nginxProcess(
    findNginx()!,
    prefix,
    {
      listenHost: '127.0.0.1',
      listenPort: base + count,
      upstreams: procs.map((_, i) => `127.0.0.1:${base + i}`),
    },
    logger,
  );
  await nginx.start();
  return {
    procs,
    nginx,
    url: `http://127.0.0.1:${base + count}`,
    stopAll: async () => {
      await nginx.stop();
      await Promise.all(procs.map((p) => p.stop()));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
