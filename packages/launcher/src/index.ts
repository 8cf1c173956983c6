/** The launcher: supervised processes, nginx rendering and the whole-system lifecycle. */
export { HTTP_CLIENT_MAIN, Launcher, RANKING_SERVER_MAIN, type Endpoints } from './launcher.js';
export { launcherSettings, loadLauncherConfig, type LauncherConfig } from './config.js';
export {
  NGINX_TEMPLATE,
  findNginx,
  nginxProcess,
  portAccepts,
  prepareNginxPrefix,
  renderNginxConf,
  testNginxConf,
  type NginxSetup,
} from './nginx.js';
export { Supervised, type ChildSpec } from './supervisor.js';
