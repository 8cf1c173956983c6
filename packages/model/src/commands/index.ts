/** Every model handler, by command name, composed from the families (typed by every command). */
import { adminHandlers } from './admin.js';
import { boardHandlers } from './boards.js';
import { countryHandlers } from './countries.js';
import type { ModelTable } from './handler.js';
import { keyHandlers } from './keys.js';
import { moveHandlers } from './moves.js';
import { periodHandlers } from './periods.js';
import { playerHandlers } from './players.js';
import { readHandlers } from './reads.js';
import { scoreHandlers } from './scores.js';

/** The model's handler table. */
export const modelHandlers: ModelTable = {
  ...scoreHandlers,
  ...readHandlers,
  ...adminHandlers,
  ...boardHandlers,
  ...periodHandlers,
  ...countryHandlers,
  ...playerHandlers,
  ...keyHandlers,
  ...moveHandlers,
};
