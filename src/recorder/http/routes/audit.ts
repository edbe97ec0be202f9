import { Readable } from 'node:stream';
import { isoTime as toIso } from '../../../shared/clock.js';
import type { AuditEntry, AuditFilter } from '../../audit/audit-log.js';
import { csvHeader, csvRow } from '../../audit/csv.js';
import { AUDIT_EVENT_TYPES } from '../../audit/events.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { ApiError } from '../errors.js';
import { isoTime } from '../../api/common.js';

interface AuditQuery {
  from?: string;
  to?: string;
  type?: string;
  user?: string;
  before?: string;
  limit?: string;
}

const filterSchema = {
  from: { ...isoTime, description: 'entries at or after this time' },
  to: { ...isoTime, description: 'entries before this time' },
  type: { type: 'string', enum: [...AUDIT_EVENT_TYPES] },
  user: { type: 'string', minLength: 1, maxLength: 64 },
} as const;

function toFilter(query: AuditQuery): AuditFilter {
  const time = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new ApiError(400, 'invalid_request', `${name} is not an ISO 8601 time.`);
    return ms;
  };
  return {
    from: time(query.from, 'from'),
    to: time(query.to, 'to'),
    type: query.type,
    username: query.user,
    beforeSeq: query.before === undefined ? undefined : Number(query.before),
    limit: query.limit === undefined ? undefined : Number(query.limit),
  };
}

function entryView(entry: AuditEntry) {
  return {
    seq: entry.seq,
    at: toIso(entry.at),
    type: entry.type,
    outcome: entry.outcome,
    actor: entry.actorUsername === null ? null : { id: entry.actorUserId, username: entry.actorUsername },
    sourceIp: entry.sourceIp,
    target: entry.target,
    details: JSON.parse(entry.details) as Record<string, unknown>,
  };
}

export function auditRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/audit',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Security events, newest first, a page at a time',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...filterSchema,
            before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$', description: 'page: entries before this seq' },
            limit: { type: 'string', pattern: '^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1 to 500, default 100' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['entries', 'nextBefore'],
            properties: {
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['seq', 'at', 'type', 'outcome', 'actor', 'sourceIp', 'target', 'details'],
                  properties: {
                    seq: { type: 'integer' },
                    at: isoTime,
                    type: { type: 'string' },
                    outcome: { type: 'string', enum: ['success', 'failure', 'info'] },
                    actor: {
                      type: ['object', 'null'],
                      properties: { id: { type: ['integer', 'null'] }, username: { type: 'string' } },
                    },
                    sourceIp: { type: ['string', 'null'] },
                    target: { type: ['string', 'null'] },
                    details: { type: 'object', additionalProperties: true },
                  },
                },
              },
              nextBefore: { type: ['integer', 'null'], description: 'pass as `before` for the next page; null at the end' },
            },
          },
        },
      },
    },
    async (request) => {
      const filter = toFilter(request.query);
      const limit = filter.limit ?? 100;
      const entries = ctx.audit.query({ ...filter, limit });
      return {
        entries: entries.map(entryView),
        nextBefore: entries.length === limit ? entries[entries.length - 1]!.seq : null,
      };
    },
  );

  app.get(
    '/api/v1/audit/export.csv',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Every matching security event as CSV, oldest first',
        querystring: { type: 'object', additionalProperties: false, properties: filterSchema },
      },
    },
    async (request, reply) => {
      const entries = ctx.audit.iterate(toFilter(request.query));
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="vigil-audit-${ctx.store.getDevice()!.serial}.csv"`);
      return reply.send(
        Readable.from(
          (function* () {
            yield csvHeader();
            for (const entry of entries) yield csvRow(entry);
          })(),
        ),
      );
    },
  );
}
