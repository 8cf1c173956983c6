/**
 * A realistic sample of players: pronounceable names (two or three syllables, some with a number),
 * countries weighted roughly by the size of their players' populations, and totals from a
 * log-normal spread (many modest scores, a long tail of high ones). Seeded: the same seed gives
 * the same players.
 */
import type { PlayerRow } from './rows.js';
import { pick, seededRandom } from '@scoreboard/random';

const ONSETS = [
  '',
  'b',
  'br',
  'd',
  'f',
  'g',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  'st',
  't',
  'v',
  'z',
  'sh',
  'th',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'y'];
const CODAS = ['', '', 'n', 'r', 's', 'l', 'x', 'k', 'th'];
/** Countries and relative weights. */
const COUNTRIES: Array<[string, number]> = [
  ['US', 20],
  ['CN', 14],
  ['BR', 8],
  ['JP', 7],
  ['DE', 6],
  ['GB', 6],
  ['KR', 5],
  ['FR', 5],
  ['IN', 5],
  ['RU', 4],
  ['MX', 3],
  ['CA', 3],
  ['ES', 3],
  ['IT', 3],
  ['PL', 2],
  ['TR', 2],
  ['ID', 2],
  ['AU', 2],
  ['SE', 1],
  ['NL', 1],
  ['AR', 1],
  ['PH', 1],
  ['UA', 1],
  ['IE', 1],
  ['NG', 1],
  ['ZA', 1],
];
const WEIGHT = COUNTRIES.reduce((sum, [, w]) => sum + w, 0);

/** O(1). A name such as "Brialen" or "Tosh42" (at most 32 characters). */
function nameOf(random: () => number): string {
  let name = '';
  const syllables = 2 + Math.floor(random() * 2);
  for (let i = 0; i < syllables; i++)
    name += pick(random, ONSETS) + pick(random, VOWELS) + pick(random, CODAS);
  name = name.charAt(0).toUpperCase() + name.slice(1);
  if (random() < 0.25) name += String(Math.floor(random() * 100));
  return name.slice(0, 32);
}

/** O(1). A country code, weighted. */
function countryOf(random: () => number): string {
  let r = random() * WEIGHT;
  for (const [code, w] of COUNTRIES) {
    r -= w;
    if (r < 0) return code;
  }
  return COUNTRIES[0]![0];
}

/** O(1). A total from a log-normal spread (median about 1 000). */
function totalOf(random: () => number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(Math.exp(6.9 + 1.1 * normal)));
}

/** O(count). `count` sample players, users "p1", "p2", …, the same for the same seed. */
export function* samplePlayers(count: number, seed = 1): Generator<PlayerRow> {
  const random = seededRandom(seed);
  for (let i = 1; i <= count; i++) {
    yield { user: `p${i}`, name: nameOf(random), country: countryOf(random), total: totalOf(random) };
  }
}
