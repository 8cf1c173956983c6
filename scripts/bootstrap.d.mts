// Types for bootstrap.mjs (plain JavaScript: it runs before anything is installed).
export const root: string;
export const buildStamp: string;
export function pnpmCommand(): string[];
export function pnpm(pnpmCmd: string[], args: string[]): void;
export function buildNeeded(base?: string, stamp?: string): boolean;
export function newestInput(base?: string): number;
export function writeBuildStamp(newest: number, stamp?: string): void;
export function bootstrap(): string[];
