/**
 * Countries: ISO 3166-1 alpha-2 codes, the officially assigned list (249 codes), from
 * i18n-iso-countries. Each code also has a small number (1 … 249, 0 for none) so the ranking server
 * can keep a player's country in two bytes.
 */
// The entry without locales: the default one (entry-node) registers every language's names,
// ~28 ms of each process's start, and only the codes are used here.
import isoCountries from 'i18n-iso-countries/index.js';

/**
 * Every officially assigned alpha-2 code, in a fixed order. XK (Kosovo) is left out: it is a
 * user-assigned code, not part of the standard's list.
 */
export const COUNTRY_CODES: readonly string[] = Object.freeze(
  Object.keys(isoCountries.getAlpha2Codes())
    .filter((code) => code !== 'XK')
    .sort(),
);

const numberOf = new Map(COUNTRY_CODES.map((code, i) => [code, i + 1]));

/** O(1). The upper-case code of a valid country in any case ("us" → "US"), or undefined. */
export function canonicalCountry(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length !== 2) return undefined;
  const code = raw.toUpperCase();
  return numberOf.has(code) ? code : undefined;
}

/** O(1). The small number of a canonical code (1 … 249), or 0 when it is not one. */
export function countryNumber(code: string): number {
  return numberOf.get(code) ?? 0;
}

/** O(1). The code of a country number, or undefined for 0 and numbers past the list. */
export function countryCode(n: number): string | undefined {
  return n > 0 ? COUNTRY_CODES[n - 1] : undefined;
}
