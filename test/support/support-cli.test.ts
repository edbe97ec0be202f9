// `vigil support` through the real built CLI: the vendor's key pair, signing an owner's request, the case log.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodePublicKey,
  parseResetResponse,
  publicKeyFingerprint,
  RESET_REQUEST_FORMAT,
  resetRequestHash,
  resetResponseSignatureValid,
  signResetRequest,
  type ResetRequest,
} from '../../src/recorder/api/vendor-reset-file.js';
import { runVigil } from '../helpers/cli.js';

const device = generateKeyPairSync('ed25519');

let root: string;
let dir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-support-'));
  dir = join(root, 'desk');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let requests = 0;
/** A request as a recorder would export it, written to a file. */
function requestFile(overrides: Partial<ResetRequest> = {}, createdAt = Date.now()): { file: string; request: ResetRequest } {
  const request = signResetRequest(
    {
      format: RESET_REQUEST_FORMAT,
      serial: 'VGL261124ABCDEFGH',
      model: 'VR-8',
      devicePublicKey: encodePublicKey(device.publicKey),
      username: 'admin',
      nonce: `nonce-${++requests}-${'x'.repeat(30)}`,
      createdAt: new Date(createdAt).toISOString(),
    },
    device.privateKey,
  );
  const file = join(root, `request-${requests}.json`);
  writeFileSync(file, JSON.stringify({ ...request, ...overrides }, null, 2));
  return { file, request };
}

const sign = (file: string, caseId: string, extra: string[] = []) =>
  runVigil(['support', 'sign', file, '--case', caseId, '--agent', 'Ada Lovelace', '--dir', dir, ...extra]);

const casesJson = () => {
  const listed = runVigil(['support', 'cases', '--dir', dir, '--json']);
  expect(listed.status).toBe(0);
  return JSON.parse(listed.stdout) as { caseId: string; agent: string; serial: string; username: string }[];
};

describe('vigil support (real CLI)', () => {
  it('sign before keygen says there is no key and how to make one', () => {
    const { file } = requestFile();
    const result = sign(file, 'EARLY-1');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`There is no vendor key in ${dir}. Create one with: vigil support keygen --dir ${dir}`);
  });

  it('keygen writes the key pair, the private key readable by its owner only, and prints the fingerprint', () => {
    const result = runVigil(['support', 'keygen', '--dir', dir]);
    expect(result.status, result.stderr).toBe(0);
    const privateFile = join(dir, 'vendor-ed25519.pem');
    const publicFile = join(dir, 'vendor-ed25519.pub.pem');
    expect(statSync(privateFile).mode & 0o777).toBe(0o600);
    expect(statSync(publicFile).mode & 0o077).toBe(0o044); // world-readable: it is handed to factories
    const fingerprint = publicKeyFingerprint(createPublicKey(readFileSync(publicFile, 'utf8')));
    expect(result.stdout).toContain(`Public key: ${publicFile}`);
    expect(result.stdout).toContain(fingerprint);
    // The private key belongs to that public key.
    expect(publicKeyFingerprint(createPublicKey(readFileSync(privateFile, 'utf8')))).toBe(fingerprint);
  });

  it('keygen refuses to replace an existing key, and leaves it as it was', () => {
    const before = readFileSync(join(dir, 'vendor-ed25519.pem'), 'utf8');
    const again = runVigil(['support', 'keygen', '--dir', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds a vendor key; it was not replaced');
    expect(readFileSync(join(dir, 'vendor-ed25519.pem'), 'utf8')).toBe(before);
  });

  it('sign checks the request, shows what it signs, records the case and writes a response bound to the request', () => {
    const { file, request } = requestFile();
    const result = sign(file, 'CASE-100');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Recorder +VR-8 VGL261124ABCDEFGH/);
    expect(result.stdout).toMatch(/Account +admin/);
    expect(result.stdout).toContain(request.createdAt);
    const responseFile = file.replace(/\.json$/, '.response.json');
    expect(result.stdout).toContain(`Response written to ${responseFile}`);
    expect(statSync(responseFile).mode & 0o777).toBe(0o600);

    const parsed = parseResetResponse(readFileSync(responseFile, 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const vendorKey = createPublicKey(readFileSync(join(dir, 'vendor-ed25519.pub.pem'), 'utf8'));
    expect(resetResponseSignatureValid(parsed.value, vendorKey)).toBe(true);
    expect(parsed.value).toMatchObject({ serial: request.serial, username: 'admin', nonce: request.nonce, requestHash: resetRequestHash(request), caseId: 'CASE-100', agent: 'Ada Lovelace' });
    expect(Date.parse(parsed.value.expiresAt) - Date.parse(request.createdAt)).toBe(48 * 3600_000);
    expect(casesJson()).toEqual([expect.objectContaining({ caseId: 'CASE-100', agent: 'Ada Lovelace', serial: request.serial, username: 'admin' })]);
  });

  it.each([
    ['its username was changed after the device signed it', { username: 'intruder' }, /signature does not match its content/],
    ['its serial was changed', { serial: 'VGL261124OTHERONE' }, /signature does not match its content/],
    ['its signature is another key’s', { devicePublicKey: encodePublicKey(generateKeyPairSync('ed25519').publicKey) }, /signature does not match/],
    ['it is malformed', { nonce: 'short' }, /not a usable reset request: the reset request's nonce is malformed/],
  ])('sign refuses a request when %s, and records nothing', (_name, overrides, message) => {
    const { file } = requestFile(overrides);
    const result = sign(file, `TAMPER-${requests}`);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(file.replace(/\.json$/, '.response.json'))).toBe(false);
    expect(casesJson().map((c) => c.caseId)).toEqual(['CASE-100']);
  });

  it('sign refuses a request older than 48 hours: the recorder would refuse its response', () => {
    const { file } = requestFile({}, Date.now() - 49 * 3600_000);
    const result = sign(file, 'LATE-1');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('more than 48 hours ago');
  });

  it('a case id signs once, and a request is signed once', () => {
    const other = requestFile();
    const sameCase = sign(other.file, 'CASE-100');
    expect(sameCase.status).toBe(1);
    expect(sameCase.stderr).toContain('Case CASE-100 was signed already');
    expect(existsSync(other.file.replace(/\.json$/, '.response.json'))).toBe(false);

    const first = requestFile();
    expect(sign(first.file, 'CASE-101').status).toBe(0);
    const sameRequest = sign(first.file, 'CASE-102', ['--out', join(root, 'second.json')]);
    expect(sameRequest.status).toBe(1);
    expect(sameRequest.stderr).toContain('This request was signed already as case CASE-101');
    expect(existsSync(join(root, 'second.json'))).toBe(false);
    expect(casesJson().map((c) => c.caseId)).toEqual(['CASE-100', 'CASE-101']);
  });

  it('refuses a case id or agent name that could not be shown safely', () => {
    const { file } = requestFile();
    const badCase = runVigil(['support', 'sign', file, '--case', '../etc', '--agent', 'Ada', '--dir', dir]);
    expect(badCase.status).toBe(1);
    expect(badCase.stderr).toContain('1 to 64 letters, digits, dots, dashes or underscores');
    const badAgent = runVigil(['support', 'sign', file, '--case', 'OK-1', '--agent', 'Ada\u001b[2J', '--dir', dir]);
    expect(badAgent.status).toBe(1);
    expect(casesJson()).toHaveLength(2);
  });

  it('cases lists every signed case, readable and as JSON', () => {
    const listed = runVigil(['support', 'cases', '--dir', dir]);
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/CASE-100 +VR-8 VGL261124ABCDEFGH +account admin +by Ada Lovelace/);
    expect(lines[1]).toContain('CASE-101');
  });
});
