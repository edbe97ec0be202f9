/**
 * Vigil's LAN discovery protocol (docs/discovery-protocol.md): the probe and answer datagrams, the
 * ONE canonical encoding an answer is signed over, and its checks. Pure: shared by the devices
 * that answer (recorder, camera) and `vigil discover`, which asks.
 */
import { createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { publicKeyFingerprint } from '../shared/key-fingerprint.js';

/** Organisation-local scope (RFC 2365), so routers at a site's edge do not forward it; 86.71 is "VG". */
export const DISCOVERY_GROUP = '239.255.86.71';
export const DISCOVERY_PORT = 38671;

/**
 * The largest answer, and so the smallest probe (probes are padded to it): an answer is never
 * larger than the probe that asked, whoever the probe's source claims to be. 1200 bytes fit in one
 * IPv4 or IPv6 packet on any LAN without fragmentation.
 */
export const MAX_ANSWER_BYTES = 1200;
/** Probes larger than this are not Vigil's: refused unread. */
export const MAX_PROBE_BYTES = 1472;

const MAGIC = Buffer.from('VGLD', 'ascii');
const VERSION = 1;
const KIND_PROBE = 1;
const KIND_ANSWER = 2;
const HEADER_BYTES = MAGIC.length + 2;
const NONCE_BYTES = 16;
/** Domain separation: an answer's signature can pass for no other file or message the device key signs. */
const ANSWER_SIGNATURE_CONTEXT = 'vigil-discovery-answer/1\n';

export const DEVICE_TYPES = ['recorder', 'camera'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export const SERVICE_NAMES = ['https', 'http', 'rtsp'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** Field limits that keep the largest possible answer within MAX_ANSWER_BYTES (a unit test builds it). */
export const MAX_ADDRESSES = 4;
const MAX_RECOVERY_METHODS = 8;

/** What a device says about itself: public facts only, never a secret or a user name. */
export interface DeviceFacts {
  type: DeviceType;
  model: string;
  serial: string;
  firmwareVersion: string;
  /** Where its API answers: IPv4 or IPv6 addresses. */
  addresses: string[];
  ports: Partial<Record<ServiceName, number>>;
  activated: boolean;
  /** Which recovery paths are set up, as booleans (the recorder's `GET /api/v1/device`). */
  recoveryMethods: Record<string, boolean>;
  cloudBound: boolean;
  /** SHA-256 of the HTTPS certificate (lower-case hex): the signed answer binds it to the device key. */
  tlsFingerprint: string | null;
}

/** An answer's `tlsFingerprint`: SHA-256 of a PEM certificate as lower-case hex, what the tool compares the server's with. */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** An answer as it travels: the facts, the probe's nonce, the device's public key and its signature. */
export interface Answer extends DeviceFacts {
  nonce: string;
  /** base64 of the Ed25519 public key's DER SubjectPublicKeyInfo. */
  deviceKey: string;
  keyFingerprint: string;
  signature: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: string };

function header(kind: number): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([VERSION, kind])]);
}

function hasHeader(datagram: Buffer, kind: number): boolean {
  return datagram.length >= HEADER_BYTES && datagram.subarray(0, HEADER_BYTES).equals(header(kind));
}

/** A fresh nonce (base64url, 128 bits): answers echo it, so an old answer cannot be replayed to a new probe. */
export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

/** A probe, padded with zeros to the largest answer so that no answer can outgrow it. */
export function encodeProbe(nonce: string): Buffer {
  const raw = Buffer.from(nonce, 'base64url');
  if (raw.length !== NONCE_BYTES) throw new Error('a probe nonce is 16 bytes');
  const datagram = Buffer.alloc(MAX_ANSWER_BYTES);
  Buffer.concat([header(KIND_PROBE), raw]).copy(datagram);
  return datagram;
}

/** The nonce of a probe, or why it is no probe to answer. */
export function decodeProbe(datagram: Buffer): Decoded<{ nonce: string }> {
  if (!hasHeader(datagram, KIND_PROBE)) return { ok: false, problem: 'not a Vigil probe' };
  if (datagram.length < MAX_ANSWER_BYTES) return { ok: false, problem: 'probe smaller than the largest answer (not padded)' };
  if (datagram.length > MAX_PROBE_BYTES) return { ok: false, problem: 'probe too large' };
  return { ok: true, value: { nonce: datagram.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES).toString('base64url') } };
}

/** THE bytes an answer is signed over: every field but the signature, in a fixed order. */
function signedBytes(answer: Omit<Answer, 'signature'>): Buffer {
  const sortedEntries = (record: Record<string, unknown>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fields = [
    answer.nonce,
    answer.type,
    answer.model,
    answer.serial,
    answer.firmwareVersion,
    answer.addresses,
    sortedEntries(answer.ports),
    answer.activated,
    sortedEntries(answer.recoveryMethods),
    answer.cloudBound,
    answer.tlsFingerprint,
    answer.deviceKey,
    answer.keyFingerprint,
  ];
  return Buffer.from(ANSWER_SIGNATURE_CONTEXT + JSON.stringify(fields), 'utf8');
}

/** The answer to a probe's nonce, signed by the device's private key. */
export function signAnswer(facts: DeviceFacts, nonce: string, deviceKey: KeyObject): Answer {
  const publicKey = createPublicKey(deviceKey);
  const unsigned = {
    ...facts,
    nonce,
    deviceKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    keyFingerprint: publicKeyFingerprint(publicKey),
  };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), deviceKey).toString('base64') };
}

export function encodeAnswer(answer: Answer): Buffer {
  const datagram = Buffer.concat([header(KIND_ANSWER), Buffer.from(JSON.stringify(answer), 'utf8')]);
  if (datagram.length > MAX_ANSWER_BYTES) throw new Error(`a discovery answer is at most ${MAX_ANSWER_BYTES} bytes (this one: ${datagram.length})`);
  return datagram;
}

const TEXT = /^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,31}$/;
const PATTERNS: Record<string, RegExp> = {
  model: TEXT,
  serial: /^[A-Za-z0-9-]{1,40}$/,
  firmwareVersion: TEXT,
  nonce: /^[A-Za-z0-9_-]{22}$/,
  deviceKey: /^[A-Za-z0-9+/]{40,200}={0,2}$/,
  keyFingerprint: /^SHA256:[A-Za-z0-9+/]{43}$/,
  signature: /^[A-Za-z0-9+/]{86}==$/,
};
const ADDRESS = /^[0-9A-Fa-f.:]{2,39}$/;
const TLS_FINGERPRINT = /^[0-9a-f]{64}$/;
const METHOD_NAME = /^[A-Za-z]{1,20}$/;
const ANSWER_FIELDS = [
  'type',
  'model',
  'serial',
  'firmwareVersion',
  'addresses',
  'ports',
  'activated',
  'recoveryMethods',
  'cloudBound',
  'tlsFingerprint',
  'nonce',
  'deviceKey',
  'keyFingerprint',
  'signature',
];

function isPort(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first thing wrong with a decoded answer's fields, if any. Tight on purpose: the tool prints them to a terminal. */
function fieldProblem(doc: Record<string, unknown>): string | undefined {
  const extra = Object.keys(doc).filter((key) => !ANSWER_FIELDS.includes(key));
  if (extra.length > 0) return `${extra.length} unknown field(s)`;
  for (const [field, pattern] of Object.entries(PATTERNS)) {
    if (typeof doc[field] !== 'string' || !pattern.test(doc[field] as string)) return `bad ${field}`;
  }
  if (!(DEVICE_TYPES as readonly unknown[]).includes(doc.type)) return 'bad type';
  const addresses = doc.addresses;
  if (!Array.isArray(addresses) || addresses.length > MAX_ADDRESSES || !addresses.every((a) => typeof a === 'string' && ADDRESS.test(a))) return 'bad addresses';
  if (!isRecord(doc.ports) || !Object.entries(doc.ports).every(([name, port]) => (SERVICE_NAMES as readonly string[]).includes(name) && isPort(port))) return 'bad ports';
  const methods = doc.recoveryMethods;
  if (!isRecord(methods) || Object.keys(methods).length > MAX_RECOVERY_METHODS || !Object.entries(methods).every(([name, on]) => METHOD_NAME.test(name) && typeof on === 'boolean')) {
    return 'bad recoveryMethods';
  }
  if (typeof doc.activated !== 'boolean' || typeof doc.cloudBound !== 'boolean') return 'bad activated or cloudBound';
  if (doc.tlsFingerprint !== null && (typeof doc.tlsFingerprint !== 'string' || !TLS_FINGERPRINT.test(doc.tlsFingerprint))) return 'bad tlsFingerprint';
  return undefined;
}

/** A well-formed answer (its signature not yet checked: see checkAnswer), or why it is not one. */
export function decodeAnswer(datagram: Buffer): Decoded<Answer> {
  if (!hasHeader(datagram, KIND_ANSWER)) return { ok: false, problem: 'not a Vigil answer' };
  if (datagram.length > MAX_ANSWER_BYTES) return { ok: false, problem: 'answer too large' };
  let doc: unknown;
  try {
    doc = JSON.parse(datagram.subarray(HEADER_BYTES).toString('utf8'));
  } catch {
    return { ok: false, problem: 'answer is not JSON' };
  }
  if (!isRecord(doc)) return { ok: false, problem: 'answer is not an object' };
  const problem = fieldProblem(doc);
  return problem ? { ok: false, problem } : { ok: true, value: doc as unknown as Answer };
}

/**
 * What an answer's own content proves: `verified` when the key it carries has the fingerprint it
 * claims and signed everything in it; `key_mismatch` when the fingerprint is another key's;
 * `bad_signature` when the signature is not that key's over these fields.
 */
export type AnswerCheck = 'verified' | 'key_mismatch' | 'bad_signature';

export function checkAnswer(answer: Answer): AnswerCheck {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(answer.deviceKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return 'bad_signature';
  }
  if (key.asymmetricKeyType !== 'ed25519') return 'bad_signature';
  if (publicKeyFingerprint(key) !== answer.keyFingerprint) return 'key_mismatch';
  const { signature, ...unsigned } = answer;
  try {
    return verify(null, signedBytes(unsigned), key, Buffer.from(signature, 'base64')) ? 'verified' : 'bad_signature';
  } catch {
    return 'bad_signature';
  }
}
