/** Moves in the model: one shard, whose map places every board here; nothing ever moves. */
import { ErrorCode } from '@scoreboard/protocol';
import { Refusal } from '../state.js';
import type { ModelTable } from './handler.js';

const refuse = (): never => {
  throw new Refusal(ErrorCode.SHARD_OWNS_BOARD);
};

/** The model's shard commands. */
export const moveHandlers = {
  'shardmap.get': () => ({ epoch: 0, layout: 1, moved: {}, sealed: false, shard: 0 }),
  'shardmap.set': refuse,
  'board.freeze': refuse,
  'board.export': refuse,
  'board.import': refuse,
  'board.drop': refuse,
  // Webhooks deliver over HTTP from the ranking server; their tests use real receivers.
  'webhook.put': refuse,
  'webhook.get': refuse,
  'webhook.ack': refuse,
} satisfies Partial<ModelTable>;
