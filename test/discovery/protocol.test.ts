import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { AnswerLimiter, answerFits, takeToken, type AnswerLimitPolicy } from '../../src/discovery/answer-limits.js';
import { answerProbe } from '../../src/discovery/responder.js';
import {
  checkAnswer,
  decodeAnswer,
  decodeProbe,
  encodeAnswer,
  encodeProbe,
  MAX_ANSWER_BYTES,
  newNonce,
  signAnswer,
  type DeviceFacts,
} from '../../src/discovery/protocol.js';
import { FoundDevices } from '../../src/discovery/found-devices.js';

const device = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

/** The largest facts a recorder can have: 8 long addresses, every port, every method, the longest texts. */
function facts(overrides: Partial<DeviceFacts> = {}): DeviceFacts {
  return {
    type: 'recorder',
    model: 'VR-8',
    serial: 'VGL261207ABCDEFGH',
    firmwareVersion: '0.1.0',
    addresses: ['192.168.1.20'],
    ports: { https: 8443 },
    activated: false,
    recoveryMethods: { email: false, phone: false, securityQuestions: false, recoveryKey: false, resetButton: true, vendorSupport: true, cloud: false },
    cloudBound: false,
    tlsFingerprint: 'a'.repeat(64),
    ...overrides,
  };
}

const LARGEST = facts({
  model: 'M'.repeat(32),
  serial: 'S'.repeat(40),
  firmwareVersion: 'F'.repeat(32),
  addresses: Array.from({ length: 4 }, () => 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'),
  ports: { https: 65535, http: 65535, rtsp: 65535 },
  recoveryMethods: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`method${String.fromCharCode(65 + i)}`.padEnd(20, 'x'), true])),
});

function roundTrip(answer: ReturnType<typeof signAnswer>) {
  const decoded = decodeAnswer(encodeAnswer(answer));
  if (!decoded.ok) throw new Error(decoded.problem);
  return decoded.value;
}

describe('discovery protocol', () => {
  it('carries a probe nonce, and refuses probes smaller than the largest answer', () => {
    const nonce = newNonce();
    const probe = encodeProbe(nonce);
    expect(probe.length).toBe(MAX_ANSWER_BYTES);
    expect(decodeProbe(probe)).toEqual({ ok: true, value: { nonce } });
    expect(decodeProbe(probe.subarray(0, MAX_ANSWER_BYTES - 1)).ok).toBe(false);
    expect(decodeProbe(Buffer.from('VGLD\x01\x02')).ok).toBe(false);
  });

  it('signs an answer that checks, and the largest possible answer still fits in a probe', () => {
    const answer = roundTrip(signAnswer(facts(), newNonce(), device.privateKey));
    expect(checkAnswer(answer)).toBe('verified');
    const largest = encodeAnswer(signAnswer(LARGEST, newNonce(), device.privateKey));
    expect(largest.length).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    expect(checkAnswer(roundTrip(signAnswer(LARGEST, newNonce(), device.privateKey)))).toBe('verified');
  });

  it('flags an answer whose signature is another key’s, or whose fingerprint is another key’s', () => {
    const honest = signAnswer(facts(), newNonce(), device.privateKey);
    const signedByOther = signAnswer(facts(), honest.nonce, other.privateKey);
    expect(checkAnswer({ ...signedByOther, deviceKey: honest.deviceKey, keyFingerprint: honest.keyFingerprint })).toBe('bad_signature');
    expect(checkAnswer({ ...signedByOther, keyFingerprint: honest.keyFingerprint })).toBe('key_mismatch');
    for (const change of [{ activated: true }, { addresses: ['10.0.0.66'] }, { tlsFingerprint: 'b'.repeat(64) }, { recoveryMethods: { ...honest.recoveryMethods, cloud: true } }]) {
      expect(checkAnswer({ ...honest, ...change })).toBe('bad_signature');
    }
  });

  it('refuses malformed answers, with no field it does not know', () => {
    const answer = signAnswer(facts(), newNonce(), device.privateKey);
    const encode = (doc: unknown) => Buffer.concat([Buffer.from('VGLD\x01\x02', 'latin1'), Buffer.from(JSON.stringify(doc))]);
    expect(decodeAnswer(encode({ ...answer, password: 'x' })).ok).toBe(false);
    expect(decodeAnswer(encode({ ...answer, model: '\u001b[2J' })).ok).toBe(false);
    expect(decodeAnswer(encode({ ...answer, ports: { telnet: 23 } })).ok).toBe(false);
    expect(decodeAnswer(encode({ ...answer, recoveryMethods: { email: 'alice@example.com' } })).ok).toBe(false);
    expect(decodeAnswer(encode({ ...answer, addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'] })).ok).toBe(false);
    expect(decodeAnswer(encode(answer)).ok).toBe(true);
  });
});

describe('answer limits', () => {
  const policy: AnswerLimitPolicy = { perSource: { burst: 2, perSecond: 0.5 }, total: { burst: 3, perSecond: 1 }, maxSources: 2 };

  it('refills a bucket with time, never above its burst', () => {
    const rule = { burst: 2, perSecond: 0.5 };
    let bucket = takeToken(undefined, rule, 0).bucket;
    bucket = takeToken(bucket, rule, 0).bucket;
    expect(takeToken(bucket, rule, 0).allowed).toBe(false);
    expect(takeToken(bucket, rule, 1999).allowed).toBe(false);
    expect(takeToken(bucket, rule, 2000).allowed).toBe(true);
    expect(takeToken(bucket, rule, 3_600_000).bucket.tokens).toBe(1);
  });

  it('answers a source its burst, then one per refill; other sources until the total runs out', () => {
    const clock = new ManualClock();
    const limiter = new AnswerLimiter(policy, clock);
    expect(['a', 'a', 'a'].map((s) => limiter.admit(s))).toEqual(['answer', 'answer', 'source_limited']);
    expect(limiter.admit('b')).toBe('answer');
    expect(limiter.admit('c')).toBe('total_limited');
    clock.advance(2);
    expect(limiter.admit('a')).toBe('answer');
  });

  it('never sends an answer larger than its probe', () => {
    expect(answerFits(100, 100)).toBe(true);
    expect(answerFits(101, 100)).toBe(false);
    const limiter = new AnswerLimiter(policy, new ManualClock());
    const probe = encodeProbe(newNonce());
    const outcome = answerProbe(probe, '10.0.0.1', { facts: () => LARGEST, deviceKey: device.privateKey }, limiter);
    expect(Buffer.isBuffer(outcome) && outcome.length <= probe.length).toBe(true);
    expect(answerProbe(probe.subarray(0, 64), '10.0.0.2', { facts: () => LARGEST, deviceKey: device.privateKey }, limiter)).toMatch(/not padded/);
  });
});

describe('found devices', () => {
  it('ignores answers to probes it did not send, and flags a serial answered by two keys', () => {
    const nonce = newNonce();
    const found = new FoundDevices(new Set([nonce]));
    expect(found.add(signAnswer(facts(), newNonce(), device.privateKey), '10.0.0.1')).toBe(false);
    found.add(signAnswer(facts(), nonce, device.privateKey), '10.0.0.1');
    found.add(signAnswer(facts(), nonce, device.privateKey), '10.0.0.1');
    expect(found.list().map((d) => d.status)).toEqual(['verified']);
    found.add(signAnswer(facts(), nonce, other.privateKey), '10.0.0.9');
    expect(found.list().map((d) => d.status)).toEqual(['serial_conflict', 'serial_conflict']);
  });

  it('lists a forged answer flagged, apart from the signed one it imitates, which it neither unseats nor conflicts with', () => {
    const nonce = newNonce();
    const found = new FoundDevices(new Set([nonce]));
    const honest = signAnswer(facts(), nonce, device.privateKey);
    found.add(honest, '10.0.0.1');
    found.add({ ...honest, activated: true }, '10.0.0.9');
    found.add(honest, '10.0.0.1');
    expect(found.list().map((d) => [d.from, d.status])).toEqual([
      ['10.0.0.1', 'verified'],
      ['10.0.0.9', 'bad_signature'],
    ]);
    const forged = { ...signAnswer(facts({ serial: 'VGLFORGED' }), nonce, other.privateKey), deviceKey: honest.deviceKey, keyFingerprint: honest.keyFingerprint };
    found.add(forged, '10.0.0.9');
    expect(found.list({ inactiveOnly: true }).map((d) => [d.answer.serial, d.status])).toEqual([
      ['VGL261207ABCDEFGH', 'verified'],
      ['VGLFORGED', 'bad_signature'],
    ]);
  });
});
