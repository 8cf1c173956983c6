/**
 * `pnpm build`'s last step: bundles each process the launcher runs into one file —
 * packages/ranking-server/dist/ranking-server.mjs, packages/gateway/dist/gateway.mjs and
 * packages/launcher/dist/launcher.mjs (what `pnpm start` runs: ~600 ms to load from dist/main.js).
 *
 * Why: Node 20 resolves and compiles an ES module graph file by file, and these graphs are
 * hundreds of files (TypeBox and Fastify's dependencies are most of them). Spawn to ready, side by
 * side on this machine: the ranking server on an empty data folder ~690 ms from dist/main.js,
 * ~320 ms bundled; a client ~1 200 ms, ~750 ms bundled. A restart is downtime.
 *
 * Left outside the bundles, loaded from node_modules as usual: `zeromq` (a native addon), `etcd3`
 * (its gRPC client reads .proto files next to its modules; loaded only with ETCD_ENDPOINTS), and the
 * packages that find their own files next to their modules at run time (the web pages,
 * @fastify/static, @fastify/swagger-ui). The dist/main.js entry points are still built and work.
 */
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const processes = [
  ['ranking-server', 'ranking-server.mjs'],
  ['gateway', 'gateway.mjs'],
  ['launcher', 'launcher.mjs'],
];

await Promise.all(
  processes.map(([pkg, out]) =>
    build({
      entryPoints: [resolve(root, `packages/${pkg}/dist/main.js`)],
      outfile: resolve(root, `packages/${pkg}/dist/${out}`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['zeromq', 'etcd3', '@scoreboard/web', '@fastify/static', '@fastify/swagger-ui'],
      // Bundled CommonJS packages call require(); an ES module has none of its own.
      banner: {
        js: "import { createRequire as __sbRequire } from 'node:module'; const require = __sbRequire(import.meta.url);",
      },
      sourcemap: 'linked',
      logLevel: 'warning',
    }),
  ),
);
