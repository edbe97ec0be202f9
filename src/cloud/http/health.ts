import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { CloudDatabase } from '../db/database.js';
import { schemaVersion } from '../db/migrate.js';
import { redisAnswers } from '../shared-state/redis.js';

const healthSchema = {
  response: {
    200: {
      type: 'object',
      required: ['status', 'database'],
      additionalProperties: false,
      properties: {
        status: { const: 'ok' },
        database: {
          type: 'object',
          required: ['engine', 'schemaVersion'],
          additionalProperties: false,
          properties: { engine: { enum: ['pglite', 'postgres'] }, schemaVersion: { type: 'integer' } },
        },
        /** Only with --redis. */
        redis: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { const: 'ok' } } },
      },
    },
    503: {
      type: 'object',
      required: ['error'],
      properties: {
        error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  },
} as const;

/**
 * `GET /api/v1/health`: whether this instance can serve, for a load balancer or a person. It asks
 * the database (one indexed read) and Redis when it has one (a PING), so an instance cut off from
 * either answers 503 and is taken out.
 */
export function registerHealthRoute(app: FastifyInstance, db: CloudDatabase, redis?: Redis): void {
  app.get('/api/v1/health', { schema: healthSchema }, async (_request, reply) => {
    let version: number;
    try {
      version = await schemaVersion(db);
    } catch {
      return reply.code(503).send({ error: { code: 'database_unavailable', message: 'The database does not answer.' } });
    }
    const database = { engine: db.engine, schemaVersion: version };
    if (!redis) return { status: 'ok', database };
    if (!(await redisAnswers(redis))) return reply.code(503).send({ error: { code: 'redis_unavailable', message: 'Redis does not answer.' } });
    return { status: 'ok', database, redis: { status: 'ok' } };
  });
}
