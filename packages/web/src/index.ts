/** The browser pages, as files: the HTTP clients serve them (see http-client's routes/pages.ts). */
import { join } from 'node:path';

/** O(1). The folder of the static files (the same from the sources and from the build). */
export const PUBLIC_DIR = join(import.meta.dirname, '..', 'public');

/** The pages, by route, and the file each serves. */
export const PAGES = {
  '/': 'game.html',
  '/leaderboard': 'leaderboard.html',
  '/players/:user/page': 'player.html',
} as const;

/** The game's board: created at start-up (best run kept, five best runs per player). */
export const GAME_BOARD = { id: 'runner', config: { operator: 'best', history: 5 } } as const;
