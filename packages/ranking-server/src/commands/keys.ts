/** API keys: stored, revoked, listed, and handed to the clients as a table with hashes. */
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
    const { view, version } = ctx.keyRing.add(key);
    ctx.log({ type: RecordType.KeyPut, at: ctx.now, key, version });
    return view;
  },
  'key.delete': (args, ctx) => {
    const version = ctx.keyRing.remove(args.name);
    ctx.log({ type: RecordType.KeyDelete, at: ctx.now, name: args.name, version });
    return { deleted: true as const };
  },
  'key.list': (_args, ctx) => ctx.keyRing.list(),
  'key.sync': (args, ctx) => {
    const version = ctx.keyRing.version;
    return { version, keys: args.since === version ? null : ctx.keyRing.entries() };
  },
} satisfies Partial<HandlerTable>;
