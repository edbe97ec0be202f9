import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_SESSION_LIFETIME,
  sessionExpiresAt,
  sessionState,
  type SessionLifetime,
  type SessionState,
} from '../../src/identity/sessions/policy.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);
const LIFETIME: SessionLifetime = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 };

describe('DEFAULT_SESSION_LIFETIME', () => {
  it('is 30 minutes idle, 12 hours absolute', () => {
    expect(DEFAULT_SESSION_LIFETIME).toEqual({ idleSeconds: 1800, absoluteSeconds: 43_200 });
  });
});

describe('sessionState', () => {
  interface Row {
    name: string;
    createdAt?: number;
    lastSeenAt: number;
    revokedAt?: number | null;
    now: number;
    expected: SessionState;
  }
  const rows: Row[] = [
    { name: 'just created', lastSeenAt: T0, now: T0, expected: 'active' },
    { name: 'seen a minute ago', lastSeenAt: T0 + 10 * MIN, now: T0 + 11 * MIN, expected: 'active' },
    { name: 'idle 1 ms less than the idle limit', lastSeenAt: T0, now: T0 + 30 * MIN - 1, expected: 'active' },
    { name: 'idle exactly the idle limit: expired (>=)', lastSeenAt: T0, now: T0 + 30 * MIN, expected: 'idle_expired' },
    { name: 'idle 1 ms beyond the idle limit', lastSeenAt: T0, now: T0 + 30 * MIN + 1, expected: 'idle_expired' },
    { name: 'idle for days', lastSeenAt: T0 + H, now: T0 + 10 * H - 1, expected: 'idle_expired' },
    {
      name: 'active every minute, 1 ms before the absolute limit',
      lastSeenAt: T0 + 12 * H - MIN,
      now: T0 + 12 * H - 1,
      expected: 'active',
    },
    {
      name: 'active every minute, exactly at the absolute limit: expired (>=)',
      lastSeenAt: T0 + 12 * H - MIN,
      now: T0 + 12 * H,
      expected: 'absolute_expired',
    },
    {
      name: 'seen this very millisecond, but past the absolute limit',
      lastSeenAt: T0 + 13 * H,
      now: T0 + 13 * H,
      expected: 'absolute_expired',
    },
    {
      name: 'both idle and past the absolute limit: reported as absolute',
      lastSeenAt: T0,
      now: T0 + 12 * H,
      expected: 'absolute_expired',
    },
    { name: 'revoked, otherwise fresh', lastSeenAt: T0, revokedAt: T0, now: T0, expected: 'revoked' },
    { name: 'revoked at time 0 still counts as revoked', lastSeenAt: T0, revokedAt: 0, now: T0, expected: 'revoked' },
    { name: 'revoked and also expired: revoked wins', lastSeenAt: T0, revokedAt: T0 + MIN, now: T0 + 24 * H, expected: 'revoked' },
    { name: 'revoked "in the future" is revoked now', lastSeenAt: T0, revokedAt: T0 + H, now: T0 + MIN, expected: 'revoked' },
  ];

  it.each(rows)('$name → $expected', ({ createdAt, lastSeenAt, revokedAt, now, expected }) => {
    expect(sessionState({ createdAt: createdAt ?? T0, lastSeenAt, revokedAt: revokedAt ?? null }, now, LIFETIME)).toBe(expected);
  });

  it('a session used every minute still ends at the absolute limit', () => {
    const lifetime: SessionLifetime = { idleSeconds: 5 * 60, absoluteSeconds: 2 * 3600 };
    const session = { createdAt: T0, lastSeenAt: T0, revokedAt: null };
    let now = T0;
    let states: SessionState[] = [];
    while (now < T0 + 3 * H) {
      const state = sessionState(session, now, lifetime);
      states.push(state);
      if (state !== 'active') break;
      session.lastSeenAt = now;
      now += MIN;
    }
    expect(states.at(-1)).toBe('absolute_expired');
    expect(now).toBe(T0 + 2 * H);
    states = states.slice(0, -1);
    expect(states.every((s) => s === 'active')).toBe(true);
    expect(states).toHaveLength(120);
  });

  it('honours the lifetime it is given', () => {
    const short: SessionLifetime = { idleSeconds: 10, absoluteSeconds: 60 };
    const session = { createdAt: T0, lastSeenAt: T0, revokedAt: null };
    expect(sessionState(session, T0 + 9_999, short)).toBe('active');
    expect(sessionState(session, T0 + 10_000, short)).toBe('idle_expired');
    expect(sessionState({ ...session, lastSeenAt: T0 + 55 * S }, T0 + 60 * S, short)).toBe('absolute_expired');
  });

  it('property: active exactly when now is before both limits and the session is not revoked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 48 * 3600 }),
        fc.integer({ min: 1, max: 7200 }),
        fc.integer({ min: 1, max: 48 * 3600 }),
        fc.integer({ min: 0, max: 72 * 3600 * S }),
        fc.option(fc.integer({ min: 0, max: 72 * 3600 * S }), { nil: null }),
        (seenOffsetS, idleSeconds, absoluteSeconds, nowOffset, revokedOffset) => {
          const lifetime = { idleSeconds, absoluteSeconds };
          const session = {
            createdAt: T0,
            lastSeenAt: T0 + seenOffsetS * S,
            revokedAt: revokedOffset === null ? null : T0 + revokedOffset,
          };
          const now = T0 + nowOffset;
          const state = sessionState(session, now, lifetime);
          const live = now < Math.min(T0 + absoluteSeconds * S, session.lastSeenAt + idleSeconds * S);
          if (session.revokedAt !== null) expect(state).toBe('revoked');
          else expect(state === 'active').toBe(live);
        },
      ),
    );
  });
});

describe('sessionExpiresAt', () => {
  it.each([
    { name: 'fresh session: idle limit first', lastSeenAt: T0, expected: T0 + 30 * MIN },
    { name: 'seen 2 h in: idle limit from then', lastSeenAt: T0 + 2 * H, expected: T0 + 2 * H + 30 * MIN },
    { name: 'seen 11 h 40 in: the absolute limit comes first', lastSeenAt: T0 + 11 * H + 40 * MIN, expected: T0 + 12 * H },
    { name: 'seen exactly 11 h 30 in: both limits at once', lastSeenAt: T0 + 11 * H + 30 * MIN, expected: T0 + 12 * H },
  ])('$name', ({ lastSeenAt, expected }) => {
    expect(sessionExpiresAt({ createdAt: T0 }, lastSeenAt, LIFETIME)).toBe(expected);
  });

  it('property: sessionState turns non-active exactly at sessionExpiresAt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 * 3600 * S }),
        fc.integer({ min: 1, max: 7200 }),
        fc.integer({ min: 1, max: 24 * 3600 }),
        (seenOffset, idleSeconds, absoluteSeconds) => {
          const lifetime = { idleSeconds, absoluteSeconds };
          const session = { createdAt: T0, lastSeenAt: T0 + seenOffset, revokedAt: null };
          const end = sessionExpiresAt(session, session.lastSeenAt, lifetime);
          expect(sessionState(session, end, lifetime)).not.toBe('active');
          if (end - 1 >= session.lastSeenAt) expect(sessionState(session, end - 1, lifetime)).toBe('active');
        },
      ),
    );
  });
});
