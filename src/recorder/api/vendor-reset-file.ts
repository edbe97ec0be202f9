/**
 * The two files of the vendor support path, shared by the recorder (which writes requests and
 * checks responses) and `vigil support` (which checks requests and writes responses): their
 * fields, how they are read, the ONE canonical encoding both sides sign and verify, and the keys.
 *
 * A request is signed by the device key: support can tell it was not altered on its way. A response
 * is signed by the vendor key and names the request by its hash and nonce: the recorder accepts it
 * once, for that request only, and no later than 48 hours after the request was made.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
// Also the fingerprint of a device key in discovery answers: one definition for both.
export { publicKeyFingerprint } from '../../shared/key-fingerprint.js';

export const RESET_REQUEST_FORMAT = 'vigil-reset-request/1';
export const RESET_RESPONSE_FORMAT = 'vigil-reset-response/1';

/** How long after the request its response works: time to reach support, not a standing key. */
export const SUPPORT_RESPONSE_LIFETIME_SECONDS = 48 * 3600;

/** Both files are a few hundred bytes; anything much larger is not one of them. */
export const MAX_RESET_FILE_CHARS = 8 * 1024;

const REQUEST_FIELDS = ['format', 'serial', 'model', 'devicePublicKey', 'username', 'nonce', 'createdAt'] as const;
const RESPONSE_FIELDS = ['format', 'serial', 'username', 'nonce', 'requestHash', 'caseId', 'agent', 'issuedAt', 'expiresAt'] as const;

export type UnsignedResetRequest = Record<(typeof REQUEST_FIELDS)[number], string>;
export type ResetRequest = UnsignedResetRequest & { signature: string };
export type UnsignedResetResponse = Record<(typeof RESPONSE_FIELDS)[number], string>;
export type ResetResponse = UnsignedResetResponse & { signature: string };

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * What each field may hold. Tight on purpose: the support tool prints these to an agent's
 * terminal, so no control or escape characters get through, and usernames are those the recorder
 * allows.
 */
const FIELD_PATTERNS: Record<string, RegExp> = {
  serial: /^[A-Za-z0-9-]{1,40}$/,
  model: /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/,
  devicePublicKey: /^[A-Za-z0-9+/]{40,200}={0,2}$/,
  username: /^[A-Za-z0-9._-]{1,32}$/,
  nonce: /^[A-Za-z0-9_-]{22,86}$/, // base64url, at least 128 bits
  createdAt: ISO_TIME,
  issuedAt: ISO_TIME,
  expiresAt: ISO_TIME,
  requestHash: /^[0-9a-f]{64}$/,
  caseId: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  agent: /^[A-Za-z0-9][A-Za-z0-9 .'@_-]{0,63}$/,
  signature: /^[A-Za-z0-9+/]{86}==$/, // an Ed25519 signature: 64 bytes
};

/** The rules above in words, for the support tool's --case and --agent checks. */
export const CASE_ID_RULE = '1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit';
export const AGENT_RULE = '1 to 64 letters, digits, spaces or . \' @ _ -, starting with a letter or digit';

export function isValidCaseId(value: string): boolean {
  return FIELD_PATTERNS.caseId!.test(value);
}

export function isValidAgent(value: string): boolean {
  return FIELD_PATTERNS.agent!.test(value);
}

/**
 * THE canonical bytes of a file: its fields' values in a fixed order, as a JSON array. The format
 * comes first, so a request's signature can never pass for a response's. JSON.stringify of
 * strings is deterministic, so signer and verifier always agree on the bytes.
 */
function canonicalBytes(fields: readonly string[], doc: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(JSON.stringify(fields.map((field) => doc[field])), 'utf8');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseFile<T>(text: string, format: string, fields: readonly string[], what: string): Parsed<T> {
  if (text.length > MAX_RESET_FILE_CHARS) return { ok: false, problem: `this is not a ${what}: it is far too large` };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: `this is not a ${what}: it is not JSON` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, problem: `this is not a ${what}: not a JSON object` };
  const record = doc as Record<string, unknown>;
  if (record.format !== format) return { ok: false, problem: `this is not a ${what}: its format is not ${format}` };
  const expected = [...fields, 'signature'];
  // Not named in the message: they come from the file, and the support tool prints its problems to a terminal.
  const extra = Object.keys(record).filter((key) => !expected.includes(key));
  if (extra.length > 0) return { ok: false, problem: `the ${what} has ${extra.length} field(s) it should not have` };
  for (const field of expected) {
    const value = record[field];
    if (typeof value !== 'string') return { ok: false, problem: `the ${what} has no ${field}` };
    const pattern = FIELD_PATTERNS[field];
    if (pattern && !pattern.test(value)) return { ok: false, problem: `the ${what}'s ${field} is malformed` };
    if (pattern === ISO_TIME && Number.isNaN(Date.parse(value))) return { ok: false, problem: `the ${what}'s ${field} is not a date` };
  }
  return { ok: true, value: record as T };
}

export function parseResetRequest(text: string): Parsed<ResetRequest> {
  const parsed = parseFile<ResetRequest>(text, RESET_REQUEST_FORMAT, REQUEST_FIELDS, 'reset request');
  if (parsed.ok && !decodePublicKey(parsed.value.devicePublicKey)) return { ok: false, problem: "the reset request's device key is not an Ed25519 public key" };
  return parsed;
}

export function parseResetResponse(text: string): Parsed<ResetResponse> {
  return parseFile<ResetResponse>(text, RESET_RESPONSE_FORMAT, RESPONSE_FIELDS, 'support response');
}

function signedBytes(fields: readonly string[], doc: Readonly<Record<string, string>>, privateKey: KeyObject): string {
  return sign(null, canonicalBytes(fields, doc), privateKey).toString('base64');
}

function signatureValid(fields: readonly string[], doc: Readonly<Record<string, string>> & { signature: string }, publicKey: KeyObject): boolean {
  try {
    return verify(null, canonicalBytes(fields, doc), publicKey, Buffer.from(doc.signature, 'base64'));
  } catch {
    return false; // a key of another type, or a signature of the wrong length
  }
}

export function signResetRequest(unsigned: UnsignedResetRequest, deviceKey: KeyObject): ResetRequest {
  return { ...pick(REQUEST_FIELDS, unsigned), signature: signedBytes(REQUEST_FIELDS, unsigned, deviceKey) };
}

/** Signed by the device key inside it: proves the request was not altered, not which device made it. */
export function resetRequestSignatureValid(request: ResetRequest): boolean {
  const deviceKey = decodePublicKey(request.devicePublicKey);
  return deviceKey !== null && signatureValid(REQUEST_FIELDS, request, deviceKey);
}

export function signResetResponse(unsigned: UnsignedResetResponse, vendorKey: KeyObject): ResetResponse {
  return { ...pick(RESPONSE_FIELDS, unsigned), signature: signedBytes(RESPONSE_FIELDS, unsigned, vendorKey) };
}

export function resetResponseSignatureValid(response: ResetResponse, vendorKey: KeyObject): boolean {
  return signatureValid(RESPONSE_FIELDS, response, vendorKey);
}

/** SHA-256 of the request's canonical bytes: what a response names its request by. */
export function resetRequestHash(request: UnsignedResetRequest): string {
  return createHash('sha256').update(canonicalBytes(REQUEST_FIELDS, request)).digest('hex');
}

/** Pure: when a request's response stops working. */
export function supportResponseExpiry(requestCreatedAt: number): number {
  return requestCreatedAt + SUPPORT_RESPONSE_LIFETIME_SECONDS * 1000;
}

/** Pure: the response support signs for a request (the request's signature is checked before). */
export function responseForRequest(request: ResetRequest, signing: { caseId: string; agent: string; issuedAt: number }): UnsignedResetResponse {
  return {
    format: RESET_RESPONSE_FORMAT,
    serial: request.serial,
    username: request.username,
    nonce: request.nonce,
    requestHash: resetRequestHash(request),
    caseId: signing.caseId,
    agent: signing.agent,
    issuedAt: new Date(signing.issuedAt).toISOString(),
    expiresAt: new Date(supportResponseExpiry(Date.parse(request.createdAt))).toISOString(),
  };
}

/** A public key as the request carries it: base64 of its DER SubjectPublicKeyInfo. */
export function encodePublicKey(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

function decodePublicKey(base64: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** Reads an Ed25519 public key from PEM; throws a message that says what is wrong. */
export function parseEd25519PublicKey(pem: string): KeyObject {
  // Node would derive the public key from a private one; a private key handed around is a leak to point out.
  if (pem.includes('PRIVATE KEY')) throw new Error('it is a private key: give the public one (.pub.pem) and keep the private key secret');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error('it is not a public key in PEM form (-----BEGIN PUBLIC KEY-----)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 one`);
  return key;
}


function pick<K extends string>(fields: readonly K[], doc: Readonly<Record<K, string>>): Record<K, string> {
  return Object.fromEntries(fields.map((field) => [field, doc[field]])) as Record<K, string>;
}
