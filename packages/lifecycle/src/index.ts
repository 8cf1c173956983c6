/** Process lifecycle shared by every entry point. */
export { SUPERVISED_ENV, loadConfigOrExit, stopOnSignals } from './lifecycle.js';
export { prettyLogs, processLogger } from './logger.js';
export { SendQueue, type SendQueueOptions } from './send-queue.js';
