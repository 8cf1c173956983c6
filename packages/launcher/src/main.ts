/**
 * `pnpm start`: runs the whole scoreboard on this machine until Ctrl-C or SIGTERM, then stops
 * every process cleanly and exits 0.
 */
import { describeSettings } from '@scoreboard/config';
import { loadConfigOrExit, stopOnSignals, processLogger } from '@scoreboard/lifecycle';
import { launcherSettings, loadLauncherConfig } from './config.js';
import { Launcher } from './launcher.js';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(
      `Usage: pnpm start [--flag value ...]\n\nSettings (flag, environment, meaning):\n${describeSettings(launcherSettings)}\n`,
    );
    return;
  }
  const config = loadConfigOrExit('launcher', () => loadLauncherConfig());
  const logger = processLogger('launcher', config.logLevel, config.logFormat);
  const launcher = new Launcher(config, logger);

  stopOnSignals(logger, () => launcher.stop());

  const endpoints = await launcher.start();
  const lines = [
    '',
    `scoreboard is up: ${endpoints.url}${endpoints.nginx ? `  (nginx, load-balanced over ${endpoints.clients.length} clients)` : '  (no nginx: first client)'}`,
    `  clients:        ${endpoints.clients.join(', ')}`,
    endpoints.rankingEndpoints.length === 1
      ? `  ranking server: ${endpoints.rankingEndpoint}`
      : `  shards:         ${endpoints.rankingEndpoints.join(', ')}`,
    ...(endpoints.standbyEndpoints.length > 0
      ? [`  standbys:       ${endpoints.standbyEndpoints.join(', ')}  (GET /cluster shows their lag)`]
      : []),
    `  metrics:        ${endpoints.metrics.join(', ')}`,
    `  try:            curl -X PUT ${endpoints.url}/score -H 'content-type: application/json' -d '{"user": 1, "score": "+10"}'`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.send?.({ type: 'ready', ...endpoints });
}

main().catch((err: unknown) => {
  process.stderr.write(`launcher: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
