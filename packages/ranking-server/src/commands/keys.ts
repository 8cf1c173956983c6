/** API keys: stored, revoked, listed, and handed to the clients as a table with hashes. */
import { ErrorCode, ScoreboardError } from '@scoreboard/protocol';
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../records/index.js';

/** Handlers of the key commands: O(1) each but the listings (O(K log K)). */
export const keyHandlers = {
  'key.put': (args, ctx) => {
    const key = {
      name: args.name,
      hash: args.hash,
      scopes: args.scopes,
      boards: args.boards ?? null,
      rate: args.rate ?? null,
      created: ctx.now,
    };
    ctx.apiKeys.checkNew(key.name);
    ctx.apply({ type: RecordType.KeyPut, at: ctx.now, key, version: ctx.apiKeys.version + 1 });
    return ctx.apiKeys.view(key.name)!;
  },
  'key.delete': (args, ctx) => {
    if (!ctx.apiKeys.view(args.name))
      throw new ScoreboardError(ErrorCode.KEY_NOT_FOUND, `No key named "${args.name}".`);
    ctx.apply({ type: RecordType.KeyDelete, at: ctx.now, name: args.name, version: ctx.apiKeys.version + 1 });
    return { deleted: true as const };
  },
  'key.list': (_args, ctx) => ctx.apiKeys.list(),
  'key.sync': (args, ctx) => {
    const version = ctx.apiKeys.version;
    return { version, keys: args.since === version ? null : ctx.apiKeys.entries() };
  },
} satisfies Partial<HandlerTable>;
