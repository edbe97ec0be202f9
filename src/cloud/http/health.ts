import type { FastifyInstance } from 'fastify';
import type { CloudDatabase } from '../db/database.js';
import { schemaVersion } from '../db/migrate.js';

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
 * the database (one indexed read), so an instance cut off from it answers 503 and is taken out.
 */
export function registerHealthRoute(app: FastifyInstance, db: CloudDatabase): void {
  app.get('/api/v1/health', { schema: healthSchema }, async (_request, reply) => {
    let version: number;
    try {
      version = await schemaVersion(db);
    } catch {
      return reply.code(503).send({ error: { code: 'database_unavailable', message: 'The database does not answer.' } });
    }
    return { status: 'ok', database: { engine: db.engine, schemaVersion: version } };
  });
}
