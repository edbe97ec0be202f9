import type { FastifyInstance } from 'fastify';
import { isoTime } from '../../shared/clock.js';
import type { Queryable } from '../db/database.js';
import { accountAuditPage } from '../db/account-audit.js';
import { signedIn } from './session-auth.js';

const PAGE = 50;

/**
 * `GET /api/v1/account/audit?before=SEQ&limit=N`: the logged-in owner's own security events from
 * the audit chain, newest first; `next` is the `before` of the following page (null at the end).
 */
export function registerAuditRoutes(app: FastifyInstance, db: Queryable): void {
  app.get(
    '/api/v1/account/audit',
    {
      preHandler: app.requireSession,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { before: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' }, limit: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$' } },
        },
      },
    },
    async (request) => {
      const query = request.query as { before?: string; limit?: string };
      const limit = query.limit === undefined ? PAGE : Number(query.limit);
      const rows = await accountAuditPage(db, signedIn(request).account.id, query.before === undefined ? Number.MAX_SAFE_INTEGER : Number(query.before), limit + 1);
      const page = rows.slice(0, limit);
      return {
        events: page.map((row) => ({
          seq: row.seq,
          at: isoTime(row.at),
          type: row.type,
          outcome: row.outcome,
          sourceIp: row.sourceIp,
          details: JSON.parse(row.details) as Record<string, unknown>,
        })),
        next: rows.length > limit ? page[page.length - 1]!.seq : null,
      };
    },
  );
}
