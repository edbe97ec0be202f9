// The audit describer both web UIs use: every event the recorder or the cloud logs reads as words.
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '../../src/recorder/audit/events.js';
import { describeDetails, describeEvent, describeOutcome, describeTarget, EVENT_WORDS } from '../../web/shared/audit-events.js';

describe('describeEvent', () => {
  it("says every recorder event in words of its own, not by its code's name", () => {
    expect(Object.keys(EVENT_WORDS)).toEqual(expect.arrayContaining([...AUDIT_EVENT_TYPES]));
    for (const type of AUDIT_EVENT_TYPES) expect(describeEvent(type), type).not.toMatch(/[._]/);
    expect(describeEvent('auth.login_failed')).toBe('Login refused');
    expect(describeEvent('recordings.deleted_by_retention')).toBe('Old recordings deleted to make room');
  });

  it("says the cloud's events and names an unknown one in words", () => {
    expect(describeEvent('device.bound')).toBe('Recorder added to the account');
    expect(describeEvent('account.verified')).toBe('Address verified');
    expect(describeEvent('widget.turned_blue')).toBe('Widget turned blue');
  });
});

describe('describeOutcome and describeDetails', () => {
  it('puts outcomes and details in words, flags as yes or no, codes without underscores', () => {
    expect(describeOutcome('failure')).toBe('Failed');
    expect(describeDetails({ revokedSessions: 2, method: 'resetButton', reason: 'invalid_label_code', demo: true, oldestKept: null })).toBe(
      'Revoked sessions: 2, method: resetButton, reason: invalid label code, demo: yes',
    );
    expect(describeDetails({})).toBe('');
    expect(describeTarget('camera:1')).toBe('Camera 1');
    expect(describeTarget('session:69333c68f88a51b747af78a3')).toBe('Session 69333c68…');
  });
});
