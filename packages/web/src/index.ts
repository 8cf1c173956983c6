/** The browser pages, as files: the HTTP clients serve them (see http-client's routes/pages.ts). */
import { join } from 'node:path';

/** O(1). The folder of the static files (the same from the sources and from the build). */
export const PUBLIC_DIR = join(import.meta.dirname, '..', 'public');

/** The pages, by route, and the file each serves. */
export const PAGES = { '/leaderboard': 'leaderboard.html' } as const;
