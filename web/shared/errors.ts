import { ApiError } from './api-error.js';

export interface ShownError {
  /** Distinguishes successive errors (restarts the retry countdown). */
  id: number;
  /** What went wrong, in the server's own words. */
  message: string;
  /** What the person can do about it. */
  hint?: string;
  /** Reasons for a rejected password (422). */
  reasons?: string[];
  /** Seconds to wait before trying again (429). */
  retryAfter?: number;
}

let nextId = 1;

/** Turns any error into what ErrorAlert shows, with the hint `hints` gives for its code. */
export function errorDescriber(hints: Record<string, string>): (error: unknown) => ShownError {
  return (error) => {
    const id = nextId++;
    if (!(error instanceof ApiError)) {
      return { id, message: 'Something went wrong.', hint: 'Reload the page and try again.' };
    }
    if (error.code === 'too_many_attempts' || error.status === 429) {
      return { id, message: error.message, retryAfter: error.retryAfter ?? 60 };
    }
    const reasons = error.reasons.map((r) => r.message);
    return {
      id,
      message: error.message,
      hint: hints[error.code] ?? (error.status >= 500 ? 'Try again in a moment.' : undefined),
      reasons: reasons.length > 0 ? reasons : undefined,
    };
  };
}
