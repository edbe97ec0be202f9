import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  encodePublicKey,
  parseEd25519PublicKey,
  parseResetRequest,
  parseResetResponse,
  publicKeyFingerprint,
  RESET_REQUEST_FORMAT,
  resetRequestHash,
  resetRequestSignatureValid,
  resetResponseSignatureValid,
  responseForRequest,
  signResetRequest,
  signResetResponse,
  type ResetRequest,
  type ResetResponse,
} from '../../../src/recorder/api/vendor-reset-file.js';

const device = generateKeyPairSync('ed25519');
const vendor = generateKeyPairSync('ed25519');
const otherVendor = generateKeyPairSync('ed25519');

const CREATED = Date.UTC(2026, 5, 1, 12, 0, 0);

function request(overrides: Partial<ResetRequest> = {}): ResetRequest {
  return signResetRequest(
    {
      format: RESET_REQUEST_FORMAT,
      serial: 'VGL260601ABCDEFGH',
      model: 'VR-8',
      devicePublicKey: encodePublicKey(device.publicKey),
      username: 'admin',
      nonce: 'n0nce-n0nce-n0nce-n0nce-n0nce-n0nce-n0nce1',
      createdAt: new Date(CREATED).toISOString(),
      ...overrides,
    },
    device.privateKey,
  );
}

function response(req = request()): ResetResponse {
  return signResetResponse(responseForRequest(req, { caseId: 'CASE-1', agent: 'Ada', issuedAt: CREATED + 3600_000 }), vendor.privateKey);
}

describe('reset request and response files (pure)', () => {
  it('a request signed by the device key verifies, and survives being written and read back', () => {
    const req = request();
    expect(resetRequestSignatureValid(req)).toBe(true);
    const parsed = parseResetRequest(JSON.stringify(req, null, 2));
    expect(parsed).toEqual({ ok: true, value: req });
  });

  it.each(['serial', 'model', 'username', 'nonce', 'createdAt'] as const)('a request with its %s changed after signing does not verify', (field) => {
    const req = request();
    const altered = { ...req, [field]: field === 'createdAt' ? new Date(CREATED + 1000).toISOString() : `${req[field]}X` };
    expect(resetRequestSignatureValid(altered)).toBe(false);
  });

  it('a request re-signed by another key but claiming the device key does not verify', () => {
    const forged = { ...signResetRequest({ ...request(), username: 'intruder' }, otherVendor.privateKey), devicePublicKey: encodePublicKey(device.publicKey) };
    expect(resetRequestSignatureValid(forged)).toBe(false);
  });

  it('a response verifies with the vendor key only, names its request by hash, and expires 48 h after the request', () => {
    const req = request();
    const res = response(req);
    expect(resetResponseSignatureValid(res, vendor.publicKey)).toBe(true);
    expect(resetResponseSignatureValid(res, otherVendor.publicKey)).toBe(false);
    expect(resetResponseSignatureValid(res, device.publicKey)).toBe(false);
    expect(res).toMatchObject({
      format: 'vigil-reset-response/1',
      serial: req.serial,
      username: 'admin',
      nonce: req.nonce,
      requestHash: resetRequestHash(req),
      caseId: 'CASE-1',
      agent: 'Ada',
      issuedAt: new Date(CREATED + 3600_000).toISOString(),
      expiresAt: new Date(CREATED + 48 * 3600_000).toISOString(),
    });
    expect(parseResetResponse(JSON.stringify(res))).toEqual({ ok: true, value: res });
  });

  it.each(['serial', 'username', 'nonce', 'caseId', 'agent', 'expiresAt'] as const)('a response with its %s changed does not verify', (field) => {
    const res = response();
    const altered = { ...res, [field]: field === 'expiresAt' ? new Date(CREATED + 480 * 3600_000).toISOString() : `${res[field]}X` };
    expect(resetResponseSignatureValid(altered, vendor.publicKey)).toBe(false);
  });

  it('the request hash changes with every field, so a response fits one request only', () => {
    const base = resetRequestHash(request());
    expect(resetRequestHash(request())).toBe(base);
    expect(resetRequestHash(request({ username: 'admin2' }))).not.toBe(base);
    expect(resetRequestHash(request({ devicePublicKey: encodePublicKey(otherVendor.publicKey) }))).not.toBe(base);
    expect(resetRequestHash(request({ nonce: 'another-nonce-another-nonce-another-nonce1' }))).not.toBe(base);
  });

  it('the encoding keeps field boundaries: moving a character from one field to the next changes the signed bytes', () => {
    const a = request({ model: 'VR-8', username: 'xadmin' });
    const b = request({ model: 'VR-8x', username: 'admin' });
    expect(resetRequestHash(a)).not.toBe(resetRequestHash(b));
    expect(resetRequestSignatureValid({ ...a, model: b.model, username: b.username })).toBe(false);
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['a response given as a request', JSON.stringify(response()), /format/],
    ['a missing field', JSON.stringify({ ...request(), nonce: undefined }), /no nonce/],
    ['an extra field', JSON.stringify({ ...request(), admin: true }), /has 1 field\(s\) it should not have/],
    ['an escape sequence as a field name', JSON.stringify({ ...request(), '\u001b]0;owned\u0007': 'x' }), /^[^\u001b]*$/],
    ['a number for a string', JSON.stringify({ ...request(), serial: 42 }), /no serial/],
    ['a control character in the username', JSON.stringify({ ...request(), username: 'ad\u001b[2Jmin' }), /username is malformed/],
    ['a short nonce', JSON.stringify({ ...request(), nonce: 'abc' }), /nonce is malformed/],
    ['an impossible date', JSON.stringify({ ...request(), createdAt: '2026-13-45T00:00:00.000Z' }), /createdAt is not a date/],
    ['a device key that is no Ed25519 key', JSON.stringify({ ...request(), devicePublicKey: 'A'.repeat(60) }), /not an Ed25519 public key/],
    ['a huge file', JSON.stringify({ ...request(), pad: 'x'.repeat(10_000) }), /too large/],
  ])('a request file with %s is refused, saying why', (_name, text, problem) => {
    const parsed = parseResetRequest(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('a response with a malformed signature is refused when read', () => {
    const parsed = parseResetResponse(JSON.stringify({ ...response(), signature: 'short' }));
    expect(parsed).toEqual({ ok: false, problem: "the support response's signature is malformed" });
  });

  it('reads an Ed25519 public key, and refuses private keys and other kinds of key', () => {
    const pem = vendor.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(publicKeyFingerprint(parseEd25519PublicKey(pem))).toBe(publicKeyFingerprint(vendor.publicKey));
    expect(publicKeyFingerprint(vendor.publicKey)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(publicKeyFingerprint(vendor.publicKey)).not.toBe(publicKeyFingerprint(otherVendor.publicKey));
    const privatePem = vendor.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => parseEd25519PublicKey(privatePem)).toThrow(/private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => parseEd25519PublicKey(rsa)).toThrow(/rsa key, not an Ed25519/);
    expect(() => parseEd25519PublicKey('not a key')).toThrow(/not a public key/);
  });
});
