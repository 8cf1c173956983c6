import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ScoreboardError, errorCatalogue, isErrorCode } from './errors.js';

describe('the error catalogue', () => {
  it('gives every code a 4xx/5xx status and a message, under the SCOREBOARD_ERR_ prefix', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(code).toMatch(/^SCOREBOARD_ERR_[A-Z]+_[A-Z_]+$/);
      expect(errorCatalogue[code].status).toBeGreaterThanOrEqual(400);
      expect(errorCatalogue[code].status).toBeLessThan(600);
      expect(errorCatalogue[code].message.length).toBeGreaterThan(5);
    }
    expect(new Set(Object.values(ErrorCode)).size).toBe(Object.keys(ErrorCode).length);
  });

  it('is listed in the README with the same statuses', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const code of Object.values(ErrorCode)) {
      const row = new RegExp(`^\\|\\s*\`${code}\`\\s*\\|\\s*(\\d{3})\\s*\\|`, 'm').exec(readme);
      expect(row, `${code} in the README's error table`).not.toBeNull();
      expect(Number(row![1]), code).toBe(errorCatalogue[code].status);
    }
  });

  it('builds answers from codes and recognises only its own codes', () => {
    const err = new ScoreboardError(ErrorCode.USER_NOT_FOUND);
    expect(err.status).toBe(404);
    expect(err.toBody()).toEqual({
      error: { code: 'SCOREBOARD_ERR_USER_NOT_FOUND', message: expect.any(String) },
    });
    expect(isErrorCode('SCOREBOARD_ERR_USER_NOT_FOUND')).toBe(true);
    expect(isErrorCode('SCOREBOARD_ERR_NOPE')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});
