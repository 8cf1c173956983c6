/** API keys in the model: make, revoke, list, and the clients' sync of the table. */
import { isoOf } from '@scoreboard/calendar';
import { ErrorCode, MAX_KEYS } from '@scoreboard/protocol';
import { Refusal } from '../state.js';
import type { ModelTable } from './handler.js';

/** The model's key commands. */
export const keyHandlers = {
  'key.put': (a, m) => {
    if (m.apiKeys.has(a.name)) throw new Refusal(ErrorCode.KEY_EXISTS);
    if (m.apiKeys.size >= MAX_KEYS) throw new Refusal(ErrorCode.KEY_LIMIT_REACHED);
    const key = {
      name: a.name,
      scopes: [...a.scopes],
      boards: a.boards ?? null,
      rate: a.rate ?? null,
      created: isoOf(m.now),
      hash: a.hash,
    };
    m.apiKeys.set(a.name, key);
    m.keyVersion++;
    const { hash: _hash, ...view } = key;
    return view;
  },
  'key.delete': (a, m) => {
    if (!m.apiKeys.delete(a.name)) throw new Refusal(ErrorCode.KEY_NOT_FOUND);
    m.keyVersion++;
    return { deleted: true };
  },
  'key.list': (_a, m) => m.keyEntries().map(({ hash: _hash, ...view }) => view),
  'key.sync': (a, m) => ({ version: m.keyVersion, keys: a.since === m.keyVersion ? null : m.keyEntries() }),
} satisfies Partial<ModelTable>;
