// Vendor support recovery, end to end: a real recorder over HTTP, and `vigil support` through the real built CLI.
import { spawnSync } from 'node:child_process';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecorder } from '../../../src/recorder/daemon.js';
import { dataPaths } from '../../../src/recorder/device/data-dir.js';
import type { SupportRequestRecord } from '../../../src/recorder/db/vendor-support-store.js';
import { supportResponseRefusal, SUPPORT_REQUEST_THROTTLE } from '../../../src/recorder/recovery/vendor-support.js';
import { parseEd25519PublicKey, publicKeyFingerprint, type ResetRequest, type ResetResponse } from '../../../src/recorder/api/vendor-reset-file.js';
import { CLI, runVigil } from '../../helpers/cli.js';
import { activate, ApiClient, loggedInAdmin } from '../../helpers/client.js';
import { startTestRecorder, STRONG_PASSWORD, type TestRecorder } from '../../helpers/recorder.js';

const NEW_PASSWORD = 'Marble kettle 61 over the dunes';

let root: string;
let vendorDir: string;
let otherVendorDir: string;
let vendorKey: KeyObject;
let vendorFingerprint: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-vendor-'));
  vendorDir = join(root, 'vendor');
  otherVendorDir = join(root, 'impostor');
  const made = runVigil(['support', 'keygen', '--dir', vendorDir]);
  expect(made.status, made.stderr).toBe(0);
  expect(runVigil(['support', 'keygen', '--dir', otherVendorDir]).status).toBe(0);
  vendorKey = parseEd25519PublicKey(readFileSync(join(vendorDir, 'vendor-ed25519.pub.pem'), 'utf8'));
  vendorFingerprint = /Fingerprint +(\S+)/.exec(made.stdout)![1]!;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let signed = 0;
/** Support's side: `vigil support sign` on the request file, as an agent would run it; answers the response file's text. */
function supportSigns(request: unknown, dir = vendorDir): string {
  const n = ++signed;
  const requestFile = join(root, `request-${n}.json`);
  writeFileSync(requestFile, JSON.stringify(request));
  const result = runVigil(['support', 'sign', requestFile, '--case', `CASE-${n}`, '--agent', 'Ada', '--dir', dir]);
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(join(root, `request-${n}.response.json`), 'utf8');
}

const askForRequest = (rec: TestRecorder, username = 'admin') => new ApiClient(rec.url).post('/api/v1/recovery/support/request', { username });
const importResponse = (rec: TestRecorder, file: string) => new ApiClient(rec.url).post('/api/v1/recovery/support/verify', { file });

async function requestFile(rec: TestRecorder, username = 'admin'): Promise<ResetRequest> {
  const res = await askForRequest(rec, username);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ResetRequest;
}

/** The reasons the recorder wrote for refused responses, oldest first. */
function refusals(rec: TestRecorder): string[] {
  return rec.running.ctx.audit
    .query({ type: 'recovery.evidence_failed', limit: 100 })
    .map((e) => JSON.parse(e.details) as { method: string; reason: string })
    .filter((d) => d.method === 'vendorSupport')
    .map((d) => d.reason)
    .reverse();
}

function expectRefused(res: { status: number; body: { error: { code: string } } }): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('invalid_support_response');
}

describe('supportResponseRefusal (pure)', () => {
  const created = Date.UTC(2026, 0, 1);
  const record: SupportRequestRecord = { nonceHash: 'n', requestHash: 'a'.repeat(64), username: 'admin', createdAt: created, usedAt: null };
  const response = { serial: 'S1', username: 'admin', requestHash: 'a'.repeat(64), expiresAt: new Date(created + 48 * 3600_000).toISOString() } as ResetResponse;
  const here = { serial: 'S1', request: record, user: { role: 'admin' as const }, now: created + 1000 };

  it('accepts a response for this device, a known unused request, within 48 h, for an admin', () => {
    expect(supportResponseRefusal(response, here)).toBeNull();
    expect(supportResponseRefusal(response, { ...here, now: created + 48 * 3600_000 })).toBeNull();
  });

  it.each([
    ['other_device', { serial: 'S2' }],
    ['unknown_request', { request: undefined }],
    ['request_mismatch', { request: { ...record, requestHash: 'b'.repeat(64) } }],
    ['request_mismatch', { request: { ...record, username: 'root' } }],
    ['replayed', { request: { ...record, usedAt: created + 5 } }],
    ['expired', { now: created + 48 * 3600_000 + 1 }],
    ['not_admin', { user: { role: 'viewer' as const } }],
    ['not_admin', { user: undefined }],
  ])('refuses with %s', (reason, change) => {
    expect(supportResponseRefusal(response, { ...here, ...change })).toBe(reason);
  });

  it('honours a shorter expiry support chose, never a longer one', () => {
    const short = { ...response, expiresAt: new Date(created + 3600_000).toISOString() };
    expect(supportResponseRefusal(short, { ...here, now: created + 3600_000 })).toBeNull();
    expect(supportResponseRefusal(short, { ...here, now: created + 3600_000 + 1 })).toBe('expired');
    const long = { ...response, expiresAt: new Date(created + 480 * 3600_000).toISOString() };
    expect(supportResponseRefusal(long, { ...here, now: created + 48 * 3600_000 + 1 })).toBe('expired');
  });
});

describe('vigil recorder init --vendor-key (real CLI)', () => {
  const publicFile = () => join(vendorDir, 'vendor-ed25519.pub.pem');

  it('installs the vendor key in the data directory; the recorder then offers vendor support', async () => {
    const dataDir = join(root, 'made-by-cli');
    const init = runVigil(['recorder', 'init', '--data', dataDir, '--vendor-key', publicFile()]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain(`Vendor key  ${vendorFingerprint}`);
    const installed = createPublicKey(readFileSync(dataPaths(dataDir).vendorPublicKey, 'utf8'));
    expect(publicKeyFingerprint(installed)).toBe(vendorFingerprint);

    const running = await startRecorder({ dataDir, listen: { host: '127.0.0.1', port: 0 } });
    try {
      const device = await new ApiClient(running.url).get('/api/v1/device');
      expect(device.body.recoveryMethods.vendorSupport).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('takes the key from VIGIL_VENDOR_KEY too', () => {
    const dataDir = join(root, 'made-by-env');
    const init = spawnSync(process.execPath, [CLI, 'recorder', 'init', '--data', dataDir], {
      encoding: 'utf8',
      env: { ...process.env, VIGIL_VENDOR_KEY: publicFile() },
    });
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(dataPaths(dataDir).vendorPublicKey)).toBe(true);
  });

  it.each([
    ['the private key', () => join(vendorDir, 'vendor-ed25519.pem'), /it is a private key/],
    ['a missing file', () => join(root, 'nope.pem'), /no such file/],
    ['a file that is no key', () => CLI, /not a public key in PEM form/],
  ])('refuses %s and creates nothing', (_name, file, message) => {
    const dataDir = join(root, `refused-${Math.random().toString(36).slice(2)}`);
    const init = runVigil(['recorder', 'init', '--data', dataDir, '--vendor-key', file()]);
    expect(init.status).toBe(2);
    expect(init.stderr).toMatch(message);
    expect(init.stderr).toContain('nothing was created');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('a recorder without a vendor key', () => {
  let rec: TestRecorder;
  beforeAll(async () => {
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterAll(() => rec.close());

  it('does not offer vendor support, and says so on both routes', async () => {
    expect((await new ApiClient(rec.url).get('/api/v1/device')).body.recoveryMethods.vendorSupport).toBe(false);
    for (const res of [await askForRequest(rec), await importResponse(rec, '{}')]) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('vendor_support_not_set_up');
      expect(res.body.error.message).toContain('no vendor key');
    }
    const admin = await loggedInAdmin(rec);
    expect((await admin.get('/api/v1/recovery/support/vendor-key')).body).toEqual({ installed: false, fingerprint: null });
  });
});

describe('vendor support recovery over HTTP', () => {
  let rec: TestRecorder;
  beforeEach(async () => {
    rec = await startTestRecorder({ vendorPublicKey: vendorKey });
    await activate(rec);
  });
  afterEach(() => rec.close());

  it('request -> vigil support sign -> import -> new password: the admin logs in with it', async () => {
    const admin = await loggedInAdmin(rec);
    expect((await admin.get('/api/v1/recovery/support/vendor-key')).body).toEqual({ installed: true, fingerprint: vendorFingerprint });
    expect((await new ApiClient(rec.url).get('/api/v1/device')).body.recoveryMethods.vendorSupport).toBe(true);

    const request = await requestFile(rec);
    expect(request).toMatchObject({ format: 'vigil-reset-request/1', serial: rec.serial, model: rec.model, username: 'admin' });
    expect(Buffer.from(request.nonce, 'base64url').length).toBeGreaterThanOrEqual(16);
    const response = supportSigns(request);

    const imported = await importResponse(rec, response);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body).toMatchObject({ username: 'admin', method: 'vendorSupport', mayClearTwoFactor: true });

    const reset = await new ApiClient(rec.url).post('/api/v1/recovery/reset', { token: imported.body.token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await admin.get('/api/v1/me')).status).toBe(401); // every session ended
    expect((await new ApiClient(rec.url).login('admin', STRONG_PASSWORD)).status).toBe(401);
    expect((await new ApiClient(rec.url).login('admin', NEW_PASSWORD)).status).toBe(201);

    const audit = rec.running.ctx.audit.query({ limit: 100 }).map((e) => `${e.type}:${e.outcome}`);
    expect(audit).toEqual(expect.arrayContaining(['recovery.requested:info', 'recovery.evidence_accepted:success', 'recovery.password_reset:success']));
    // The grant names the support case, so the reset can be traced to who asked support and who signed.
    const accepted = rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })[0]!;
    const signed = JSON.parse(response) as ResetResponse;
    expect(JSON.parse(accepted.details)).toEqual({ method: 'vendorSupport', supportCase: signed.caseId, supportAgent: signed.agent });
    // The response is a one-time key until it is used: it never reaches a log line.
    const signature = (JSON.parse(response) as ResetResponse).signature;
    expect(rec.logs.join('\n')).not.toContain(signature);
  });

  it('a used response is refused on replay, also after a reboot; an unused request survives the reboot', async () => {
    const first = supportSigns(await requestFile(rec));
    const second = supportSigns(await requestFile(rec));
    expect((await importResponse(rec, first)).status).toBe(201);
    expectRefused(await importResponse(rec, first));

    await rec.restart();
    expectRefused(await importResponse(rec, first));
    expect((await importResponse(rec, second)).status).toBe(201);
    expectRefused(await importResponse(rec, second));
    expect(refusals(rec)).toEqual(['replayed', 'replayed', 'replayed']);
  });

  it("another recorder's response is refused, though the same vendor signed it", async () => {
    const other = await startTestRecorder({ vendorPublicKey: vendorKey });
    try {
      await activate(other);
      const response = supportSigns(await requestFile(other));
      expectRefused(await importResponse(rec, response));
      expect(refusals(rec)).toEqual(['other_device']);
      // It was not spent by the refusal: on its own recorder it works.
      expect((await importResponse(other, response)).status).toBe(201);
    } finally {
      await other.close();
    }
  });

  it('a response works until 48 hours after the request, and is refused after', async () => {
    const early = supportSigns(await requestFile(rec));
    const late = supportSigns(await requestFile(rec));
    rec.clock.advance(48 * 3600 - 60);
    expect((await importResponse(rec, early)).status).toBe(201);
    rec.clock.advance(61);
    expectRefused(await importResponse(rec, late));
    expect(refusals(rec)).toEqual(['expired']);
  });

  it('a response signed by any other key is refused', async () => {
    const request = await requestFile(rec);
    const impostor = supportSigns(request, otherVendorDir);
    expectRefused(await importResponse(rec, impostor));
    expect(refusals(rec)).toEqual(['bad_signature']);
  });

  it('a tampered or malformed response is refused, and the refusals do not spend the request', async () => {
    const genuine = supportSigns(await requestFile(rec));
    const doc = JSON.parse(genuine) as ResetResponse;
    const tampered = [
      { ...doc, expiresAt: '2099-01-01T00:00:00.000Z' },
      { ...doc, caseId: 'OTHER-CASE' },
      { ...doc, signature: Buffer.alloc(64).toString('base64') },
    ];
    for (const file of tampered) expectRefused(await importResponse(rec, JSON.stringify(file)));
    expectRefused(await importResponse(rec, 'not json at all'));
    expectRefused(await importResponse(rec, JSON.stringify({ ...doc, extra: 1 })));
    expect(refusals(rec)).toEqual(['bad_signature', 'bad_signature', 'bad_signature', 'malformed', 'malformed']);
    expect((await importResponse(rec, genuine)).status).toBe(201);
  });

  it('an unknown or non-admin username gets the same request, and its response is refused like wrong evidence', async () => {
    const admin = await loggedInAdmin(rec);
    expect((await admin.post('/api/v1/users', { username: 'vera', role: 'viewer' })).status).toBe(201);

    const forAdmin = await askForRequest(rec, 'admin');
    const forViewer = await askForRequest(rec, 'vera');
    const forNobody = await askForRequest(rec, 'nobody');
    for (const res of [forViewer, forNobody]) {
      expect(res.status).toBe(forAdmin.status);
      expect(Object.keys(res.body).sort()).toEqual(Object.keys(forAdmin.body).sort());
    }
    const viewerAnswer = await importResponse(rec, supportSigns(forViewer.body));
    const nobodyAnswer = await importResponse(rec, supportSigns(forNobody.body));
    expectRefused(viewerAnswer);
    expect(nobodyAnswer.body).toEqual(viewerAnswer.body);
    expect(refusals(rec)).toEqual(['not_admin', 'not_admin']);
  });

  it('20 concurrent imports of one response give exactly one grant', async () => {
    const response = supportSigns(await requestFile(rec));
    const answers = await Promise.all(Array.from({ length: 20 }, () => importResponse(rec, response)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    // The rest are refused; once the refusals have cost the address its budget, with 429.
    expect(answers.filter((a) => a.status === 401 || a.status === 429)).toHaveLength(19);
    expect(rec.running.ctx.audit.query({ type: 'recovery.evidence_accepted' })).toHaveLength(1);
  });

  it('wrong responses count against the address: once blocked, even a good one waits', async () => {
    const genuine = supportSigns(await requestFile(rec));
    for (let i = 0; i < 10; i++) expectRefused(await importResponse(rec, `{"try":${i}}`));
    const blocked = await importResponse(rec, genuine);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(rec.running.ctx.audit.query({ type: 'auth.lockout' })).toHaveLength(1);
    rec.clock.advance(Number(blocked.headers.get('retry-after')));
    expect((await importResponse(rec, genuine)).status).toBe(201);
  });

  it('requests are rate-limited per address before the device signs anything', async () => {
    for (let i = 0; i < SUPPORT_REQUEST_THROTTLE.maxAttempts; i++) expect((await askForRequest(rec)).status).toBe(200);
    const limited = await askForRequest(rec);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_requests');
    expect(rec.running.ctx.audit.query({ type: 'recovery.requested' })).toHaveLength(SUPPORT_REQUEST_THROTTLE.maxAttempts);
  });

  it('a damaged vendor key file turns vendor support off, says so in the log, and the recorder still starts', async () => {
    writeFileSync(dataPaths(rec.dataDir).vendorPublicKey, 'garbage');
    await rec.restart();
    expect((await new ApiClient(rec.url).get('/api/v1/device')).body.recoveryMethods.vendorSupport).toBe(false);
    expect(rec.logs.join('\n')).toContain('the vendor key is damaged: vendor support recovery is off');
    expect((await askForRequest(rec)).status).toBe(409);
  });

  it('refuses a username that cannot be an account, whatever the account list', async () => {
    for (const username of ['', 'a'.repeat(33), 'ad min', 'admin\u001b[2J']) {
      const res = await askForRequest(rec, username);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});
