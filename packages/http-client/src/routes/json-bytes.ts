/** Answering a result the ranking server already wrote as JSON. */
import type { FastifyReply } from 'fastify';

/** The content type Fastify's own serialiser gives JSON replies. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * O(1). Sends bytes that already are the JSON body (a ranking server result) as they are: Fastify
 * neither parses nor serialises a Buffer, so the response schema documents the shape but costs
 * nothing here.
 */
export function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.type(JSON_TYPE).send(bytes);
}
