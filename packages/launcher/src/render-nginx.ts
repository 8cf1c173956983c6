/**
 * `node packages/launcher/dist/render-nginx.js`: renders nginx.conf for a fixed list of upstream
 * clients into RUN_DIR/nginx, for deployments where the clients are not on this host (the
 * docker-compose nginx service). Prints the path of the rendered config.
 */
import { ConfigError, readSettings, setting } from '@scoreboard/config';
import { resolve } from 'node:path';
import { launcherSettings } from './config.js';
import { prepareNginxPrefix } from './nginx.js';

const spec = {
  upstreams: setting({
    env: 'UPSTREAMS',
    flag: 'upstreams',
    parse: (raw) => {
      const list = raw.split(',').map((s) => s.trim());
      if (list.length === 0 || list.some((u) => !/^[A-Za-z0-9.-]+:[0-9]{1,5}$/.test(u))) {
        throw new Error('expected a comma-separated list of host:port');
      }
      return list;
    },
    default: ['127.0.0.1:8000', '127.0.0.1:8001'],
    doc: 'the clients, as host:port,host:port',
  }),
  // The launcher's own settings, so a compose file and `pnpm start` name them alike.
  listenHost: launcherSettings.host,
  listenPort: launcherSettings.nginxPort,
  runDir: launcherSettings.runDir,
};

try {
  const c = readSettings(spec);
  const prefix = resolve(c.runDir, 'nginx');
  const conf = prepareNginxPrefix(prefix, {
    listenHost: c.listenHost,
    listenPort: c.listenPort,
    upstreams: c.upstreams,
  });
  process.stdout.write(`${conf}\n`);
} catch (err) {
  process.stderr.write(`render-nginx: ${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}
