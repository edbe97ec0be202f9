import type { FastifyReply } from 'fastify';

/** The API's error body. */
export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** 429 with the seconds to wait, in the header and the API's error body. */
export const throttledAnswer = (reply: FastifyReply, retryAfterSeconds: number, message: string) =>
  reply.code(429).header('retry-after', String(retryAfterSeconds)).send(errorBody('throttled', message));
