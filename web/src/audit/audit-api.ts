import { request } from '../api.js';
import type { AuditEventTypes, AuditPage, AuditQuery, AuditVerification } from '../../../src/recorder/api/audit.js';

export type AuditFilters = Pick<AuditQuery, 'from' | 'to' | 'type' | 'user' | 'outcome'>;

export const PAGE_SIZE = 50;

/** The query string for the filters and, for a page, where it starts and its size; what is not set is left out. */
export function auditQueryString(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export const auditApi = {
  page: (filters: AuditFilters, before: number | undefined) =>
    request<AuditPage>('GET', `/audit${auditQueryString({ ...filters, before: before?.toString(), limit: String(PAGE_SIZE) })}`),
  verify: () => request<AuditVerification>('GET', '/audit/verify'),
  eventTypes: () => request<AuditEventTypes>('GET', '/audit/event-types').then((r) => r.types),
  /** Same origin, with the session cookie: a plain link downloads it. */
  exportHref: (filters: AuditFilters) => `/api/v1/audit/export.csv${auditQueryString(filters)}`,
};
