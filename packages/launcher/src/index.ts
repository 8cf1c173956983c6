/** The launcher: supervised processes, nginx rendering and the whole-system lifecycle. */
export { GATEWAY_MAIN, Launcher, RANKING_SERVER_MAIN, type Endpoints } from './launcher.js';
export { launcherSettings, loadLauncherConfig, type LauncherConfig } from './config.js';
export { findNginx, nginxProcess, portAccepts, prepareNginxPrefix, type NginxSetup } from './nginx.js';
export { Supervised, type Backoff, type ChildSpec } from './supervisor.js';
export { etcdArgs, etcdEnv, findEtcd, type EtcdSetup } from './etcd.js';
