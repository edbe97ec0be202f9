import type { FastifyInstance } from 'fastify';
import { isWellFormedText } from '../well-formed-text.js';
import { ApiError } from './api-error.js';

/**
 * Whether any string in a parsed value, key or value, at any depth, is not well-formed Unicode.
 * A loop, not recursion: a body may nest thousands of levels deep.
 */
export function holdsIllFormedText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!isWellFormedText(next)) return true;
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, inner] of Object.entries(next)) {
        if (!isWellFormedText(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/**
 * Decided once, at the edge, for every route: a request whose JSON body, query or path holds text
 * that is not well-formed Unicode (a lone surrogate, as JSON's "\ud800" makes) is refused. No
 * handler, database row or audit entry ever sees such text: stored as UTF-8 it would silently
 * become another string than the one checked, hashed or compared.
 */
export function refuseIllFormedText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (holdsIllFormedText(request.params) || holdsIllFormedText(request.query) || holdsIllFormedText(request.body)) {
      throw new ApiError(400, 'invalid_text', 'The request holds text that is not well-formed Unicode (a lone surrogate such as \\ud800). Send UTF-8 text.');
    }
  });
}
