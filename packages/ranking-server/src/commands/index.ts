/**
 * The handler table: one handler per command, gathered from one file per family. `satisfies
 * HandlerTable` makes a command without a handler (or a handler for no command) a compile error.
 */
import type { HandlerTable } from '../engine/handler.js';
import { adminHandlers } from './admin.js';
import { boardHandlers } from './boards.js';
import { bucketHandlers } from './buckets.js';
import { webhookHandlers } from './webhooks.js';
import { countryHandlers } from './countries.js';
import { keyHandlers } from './keys.js';
import { moveHandlers } from './moves.js';
import { periodHandlers } from './periods.js';
import { playerHandlers } from './players.js';
import { readHandlers } from './reads.js';
import { scoreHandlers } from './scores.js';

/** Every command's handler. */
export const handlers = {
  ...scoreHandlers,
  ...readHandlers,
  ...boardHandlers,
  ...bucketHandlers,
  ...webhookHandlers,
  ...countryHandlers,
  ...periodHandlers,
  ...playerHandlers,
  ...adminHandlers,
  ...keyHandlers,
  ...moveHandlers,
} satisfies HandlerTable;
