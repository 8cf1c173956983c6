/** The browser pages, as files: the HTTP clients serve them (see the gateway's routes/pages.ts). */
import { join } from 'node:path';

/** O(1). The folder of the static files (the same from the sources and from the build). */
export const PUBLIC_DIR = join(import.meta.dirname, '..', 'public');

/** The pages, by route: the file each serves, and what the API docs say of it. */
export const PAGES = {
  '/': {
    file: 'game.html',
    summary: 'The game: an endless runner whose runs go to the board "runner" (HTML)',
    operationId: 'getGamePage',
  },
  '/leaderboard': {
    file: 'leaderboard.html',
    summary: 'The live leaderboard page of a board (?board=<id>; HTML)',
    operationId: 'getLeaderboardPage',
  },
  '/players/:user/page': {
    file: 'player.html',
    summary: "A player's page: profile, ranks and best runs (HTML)",
    operationId: 'getPlayerPage',
  },
} as const;

