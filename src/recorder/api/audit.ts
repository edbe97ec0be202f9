// The audit log as the API serves it: the filters, a page of entries, and the chain's check.
import { isoTime } from './common.js';
import type { Served } from './served.js';

export const AUDIT_OUTCOMES = ['success', 'failure', 'info'] as const;

/**
 * The filters GET /audit and GET /audit/export.csv share. The routes narrow `type` to the
 * recorder's list of event types (src/recorder/audit/events.ts, not a contract module).
 */
export const auditFilterProperties = {
  from: { ...isoTime, description: 'entries at or after this time' },
  to: { ...isoTime, description: 'entries before this time' },
  type: { type: 'string', description: 'an audit event type' },
  user: { type: 'string', minLength: 1, maxLength: 64 },
  outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
} as const;

/** GET /audit: the filters and the page. */
export const auditQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...auditFilterProperties,
    before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$', description: 'page: entries before this seq' },
    limit: { type: 'string', pattern: '^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1 to 500, default 100' },
  },
} as const;

/** GET /audit/export.csv. */
export const auditExportQuerySchema = { type: 'object', additionalProperties: false, properties: auditFilterProperties } as const;

/** GET /audit: security events, newest first. */
export const auditPageSchema = {
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
          outcome: { type: 'string', enum: [...AUDIT_OUTCOMES] },
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
} as const;

/** GET /audit/verify: whether every entry is still the one written, in its place. */
export const auditVerificationSchema = {
  type: 'object',
  required: ['verified', 'checked', 'problems'],
  properties: {
    verified: { type: 'boolean' },
    checked: { type: 'integer', description: 'entries checked' },
    problems: {
      type: 'array',
      description: 'where the chain breaks: an entry edited, removed or out of order',
      items: {
        type: 'object',
        required: ['kind', 'seq'],
        properties: { kind: { type: 'string', enum: ['gap', 'broken_link', 'bad_hash', 'head_mismatch'] }, seq: { type: 'integer' } },
      },
    },
  },
} as const;

/** GET /audit/event-types: what the `type` filter takes, for the viewer's choice. */
export const auditEventTypesSchema = {
  type: 'object',
  required: ['types'],
  properties: { types: { type: 'array', items: { type: 'string' } } },
} as const;

export type AuditQuery = Served<typeof auditQuerySchema>;
export type AuditPage = Served<typeof auditPageSchema>;
export type AuditEntryView = AuditPage['entries'][number];
export type AuditVerification = Served<typeof auditVerificationSchema>;
export type AuditEventTypes = Served<typeof auditEventTypesSchema>;
