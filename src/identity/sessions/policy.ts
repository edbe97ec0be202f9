export interface SessionLifetime {
  /** Seconds without a request after which a session ends. */
  idleSeconds: number;
  /** Seconds after login after which a session ends whatever happens. */
  absoluteSeconds: number;
}

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 };

/** The times a session's state depends on, in ms since the epoch. */
export interface SessionTimes {
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
}

export type SessionState = 'active' | 'revoked' | 'idle_expired' | 'absolute_expired';

/** Is this session still good at `now`? Pure: the caller decides what to do about it. */
export function sessionState(
  session: SessionTimes,
  now: number,
  lifetime: SessionLifetime,
): SessionState {
  if (session.revokedAt !== null) return 'revoked';
  if (now >= session.createdAt + lifetime.absoluteSeconds * 1000) return 'absolute_expired';
  if (now >= session.lastSeenAt + lifetime.idleSeconds * 1000) return 'idle_expired';
  return 'active';
}

/** When the session will end if it stays idle from `now` on. */
export function sessionExpiresAt(session: Pick<SessionTimes, 'createdAt'>, lastSeenAt: number, lifetime: SessionLifetime): number {
  return Math.min(session.createdAt + lifetime.absoluteSeconds * 1000, lastSeenAt + lifetime.idleSeconds * 1000);
}
