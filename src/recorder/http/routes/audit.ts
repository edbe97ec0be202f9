import { Readable } from 'node:stream';
import { isoTime as toIso } from '../../../shared/clock.js';
import type { AuditEntry, AuditFilter } from '../../audit/audit-log.js';
import { csvHeader, csvRow } from '../../audit/csv.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { ApiError } from '../errors.js';
import { auditEventTypesSchema, auditExportQuerySchema, auditPageSchema, auditQuerySchema, auditVerificationSchema, type AuditQuery } from '../../api/audit.js';
import { AUDIT_EVENT_TYPES } from '../../audit/events.js';

/** A query schema with its `type` filter narrowed to the event types the recorder records: others are refused with 400. */
function withEventTypes<S extends { properties: { type: object } }>(schema: S) {
  return { ...schema, properties: { ...schema.properties, type: { type: 'string', enum: [...AUDIT_EVENT_TYPES] } } } as const;
}

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
    outcome: query.outcome,
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
        querystring: withEventTypes(auditQuerySchema),
        response: { 200: auditPageSchema },
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
        querystring: withEventTypes(auditExportQuerySchema),
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

  app.get(
    '/api/v1/audit/verify',
    {
      config: { access: 'admin' },
      schema: { summary: 'Whether every audit entry is still the one written, in its place (the hash chain checked end to end)', response: { 200: auditVerificationSchema } },
    },
    async () => {
      const { checked, problems } = ctx.audit.verify();
      return {
        verified: problems.length === 0,
        checked,
        problems: problems.map((p) => ({ kind: p.kind, seq: p.kind === 'head_mismatch' ? p.lastSeq : p.seq })),
      };
    },
  );

  app.get(
    '/api/v1/audit/event-types',
    {
      config: { access: 'admin' },
      schema: { summary: 'The event types the audit log records: what the type filter takes', response: { 200: auditEventTypesSchema } },
    },
    async () => ({ types: [...AUDIT_EVENT_TYPES] }),
  );
}
