import { afterEach, describe, expect, it } from 'vitest';
import { localDeadline } from '../../src/recover/local-time.js';

describe('localDeadline', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('shows the local clock and the zone, east and west of UTC', () => {
    process.env.TZ = 'Europe/Berlin';
    expect(localDeadline('2026-12-07T13:05:00.000Z')).toBe('2026-12-07 14:05 (UTC+01:00)');
    process.env.TZ = 'America/St_Johns';
    expect(localDeadline('2026-12-07T02:05:00.000Z')).toBe('2026-12-06 22:35 (UTC-03:30)');
  });
});
