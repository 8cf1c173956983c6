#!/usr/bin/env node
/** `pnpm scoreboard <command>`: see program.ts, or `--help`. */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
