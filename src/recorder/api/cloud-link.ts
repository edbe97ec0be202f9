// The conversation between a recorder and its cloud over the recorder's one outbound WebSocket
// (issue 11). Pure: the recorder and the cloud both import it, so the two ends cannot drift.
import { createHmac, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** Where a recorder connects: `--cloud https://cloud.example` → `wss://cloud.example/api/v1/devices/connect`. */
export const CLOUD_CONNECT_PATH = '/api/v1/devices/connect';

export function connectUrlOf(cloudUrl: string): string {
  const url = new URL(CLOUD_CONNECT_PATH, cloudUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  return url.toString();
}

/** WebSocket close codes the cloud uses (4000-4999 is the application's range). */
export const CLOSE = {
  /** The hello's signature is wrong, or its key is not the one the serial was bound with. */
  unauthenticated: 4401,
  /** Another connection of the same serial took over. */
  replaced: 4409,
  /** No hello in time, or a message that is not one. */
  protocol: 4400,
} as const;

/** The cloud's first message: a fresh nonce for the recorder to sign with its device key. */
export interface Challenge {
  type: 'challenge';
  nonce: string;
}

/** The recorder's answer: who it is, and its device key's signature over the challenge. */
export interface Hello {
  type: 'hello';
  serial: string;
  model: string;
  /** The device's Ed25519 public key, SPKI PEM. */
  publicKey: string;
  /** Whether the recorder holds a binding to this cloud: the two sides settle a change made while apart. */
  bound: boolean;
  signature: string;
}

/** The cloud accepted the hello; `bound` is its side of the binding (false: the owner unbound meanwhile). */
export interface Welcome {
  type: 'welcome';
  bound: boolean;
}

/** Prefixed so a connect signature can never be taken for any other signature of the device key. */
function helloBytes(nonce: string, serial: string, publicKey: string): Buffer {
  return Buffer.from(`vigil-cloud-connect-v1\n${nonce}\n${serial}\n${publicKey}`, 'utf8');
}

export function signHello(deviceKey: KeyObject, challenge: Challenge, fields: Omit<Hello, 'type' | 'signature'>): Hello {
  const signature = sign(null, helloBytes(challenge.nonce, fields.serial, fields.publicKey), deviceKey).toString('base64');
  return { type: 'hello', ...fields, signature };
}

/** True when the hello is signed over this nonce by the key it presents. */
export function helloSignatureValid(hello: Hello, nonce: string): boolean {
  try {
    return verify(null, helloBytes(nonce, hello.serial, hello.publicKey), createPublicKey(hello.publicKey), Buffer.from(hello.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The label code check at binding, without the label code leaving the cloud: the recorder keeps
 * only an Argon2id hash of it, so it sends that hash's parameters and salt (the PHC string up to
 * the hash) and an HMAC of the whole hash over the cloud's nonce. The cloud hashes what the owner
 * typed with the same salt and compares. A recorder impersonated on an unbound serial learns
 * nothing of what the owner typed, and cannot answer without the real hash.
 */
export interface LabelProof {
  /** `$argon2id$v=19$m=...,t=...,p=...$SALT$` */
  phcPrefix: string;
  mac: string;
}

export function labelProofMac(labelCodeHash: string, nonce: string): string {
  return createHmac('sha256', labelCodeHash).update(`vigil-label-proof-v1\n${nonce}`).digest('base64url');
}

export function labelProofOf(labelCodeHash: string, nonce: string): LabelProof {
  return { phcPrefix: labelCodeHash.slice(0, labelCodeHash.lastIndexOf('$') + 1), mac: labelProofMac(labelCodeHash, nonce) };
}

/**
 * The online remote reset: the cloud's signed permission for one reset of one admin of one
 * recorder, once (the nonce), before `expiresAt`.
 */
export interface ResetAuthorisation {
  format: 'vigil-cloud-reset-v1';
  serial: string;
  username: string;
  nonce: string;
  /** Milliseconds since 1970. */
  expiresAt: number;
}

/** How long an authorisation is good for: long enough for a slow link, short enough that a copy is soon worthless. */
export const AUTHORISATION_LIFETIME_MS = 5 * 60_000;

function authorisationBytes(a: ResetAuthorisation): Buffer {
  return Buffer.from(JSON.stringify([a.format, a.serial, a.username, a.nonce, a.expiresAt]), 'utf8');
}

export function signAuthorisation(cloudKey: KeyObject, a: ResetAuthorisation): string {
  return sign(null, authorisationBytes(a), cloudKey).toString('base64');
}

export function authorisationSignatureValid(a: ResetAuthorisation, signature: string, cloudPublicKey: KeyObject): boolean {
  try {
    return a.format === 'vigil-cloud-reset-v1' && verify(null, authorisationBytes(a), cloudPublicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** What the cloud asks a connected recorder to do. */
export type DeviceCommand =
  | { kind: 'labelProof'; nonce: string }
  | {
      kind: 'bind';
      /** The per-device secret, base64: drawn by the cloud, handed over the authenticated connection, kept sealed by both. */
      secret: string;
      cloudPublicKey: string;
      ownerLabel: string;
    }
  | { kind: 'unbind' }
  | {
      kind: 'reset';
      authorisation: ResetAuthorisation;
      signature: string;
      /** Set through the cloud: relayed once, never stored or logged by either side. */
      newPassword?: string;
    };

export type CommandAnswer =
  | {
      ok: true;
      /** The answer to labelProof: the proof, and the device as the cloud records it at binding. */
      proof?: LabelProof;
      device?: { publicKey: string; model: string };
      grant?: { token: string; expiresAt: string; username: string };
      /** The recorder's waiting period runs: the token claims the grant from `effectiveAt` on, on the LAN. */
      waiting?: { claimToken: string; effectiveAt: string; username: string };
      revokedSessions?: number;
    }
  | { ok: false; reason: 'bound_already' | 'not_bound' | 'refused' | 'password_rejected' | 'unavailable'; reasons?: { code: string; message: string }[] };

/** Messages after the handshake. */
export type CloudMessage = Challenge | Welcome | { type: 'command'; id: string; command: DeviceCommand };
export type DeviceMessage = Hello | { type: 'answer'; id: string; answer: CommandAnswer } | { type: 'unbound' };
