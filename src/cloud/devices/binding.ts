import { randomBytes } from 'node:crypto';
import { normalizeLabelCode } from '../../recorder/api/label-code.js';
import { labelProofMac } from '../../recorder/api/cloud-link.js';
import { countMethodFailure, type MethodLockStore } from '../../identity/lockout/method-lock-store.js';
import { methodLockState, type MethodLockPolicy } from '../../identity/lockout/method-lock.js';
import { hashWithSaltOf, PRODUCTION_ARGON2, type Argon2Params } from '../../identity/passwords/hash.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { safeEqual } from '../../shared/secrets.js';
import type { CloudAuditLog } from '../audit.js';
import type { CloudDatabase } from '../db/database.js';
import { deleteBinding, insertBinding, type BoundDevice } from '../db/devices.js';
import type { CloudSigningKey } from '../signing-key.js';
import { deliverIfReachable, type DeviceRouter } from './device-router.js';

/** Wrong label codes, like wrong passwords: 5 in a row block binding for 15 minutes, per account and per serial. */
export const BIND_LOCK: MethodLockPolicy = { maxFailures: 5, blockSeconds: 15 * 60 };
const BIND_METHOD = 'deviceBinding';
/** A connected recorder answers within this long, or counts as unreachable. */
export const DEVICE_ANSWER_TIMEOUT_MS = 15_000;
/**
 * The most Argon2 work a recorder's label hash may ask of the cloud: a recorder's own setting is
 * production's, so anything above is someone making the cloud work for them.
 */
const LABEL_HASH_CEILING: Argon2Params = PRODUCTION_ARGON2;

/** What binding, unbinding and the online reset go through. */
export interface DeviceServices {
  db: CloudDatabase;
  router: DeviceRouter;
  methodLocks: MethodLockStore;
  signingKey: CloudSigningKey;
  /** DIR/keys/device-secrets.key: seals the per-device secrets in the database. */
  secretsKey: Buffer;
  audit: Pick<CloudAuditLog, 'append'>;
  logger: Logger;
  clock: Clock;
}

/** The owner as the recorder shows them: enough to recognise, not the address (o***@example.com). */
export function ownerLabelOf(accountName: string): string {
  const at = accountName.lastIndexOf('@');
  return at > 0 ? `${accountName[0]}***${accountName.slice(at)}` : `***${accountName.slice(-2)}`;
}

export type BindOutcome =
  | { ok: true; device: BoundDevice }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** A wrong label code, or a label code for a recorder that is not connected: one answer. */
  | { ok: false; reason: 'invalid_label_code' }
  | { ok: false; reason: 'device_offline' }
  | { ok: false; reason: 'bound_already' };

type Account = { id: number; username: string };

/**
 * Binds the recorder `serial` to `account`: the label code is checked through the recorder's own
 * connection (see LabelProof), a per-device secret is drawn and given to both, and the recorder
 * pins the cloud's public key. One owner per device: the serial's row decides.
 */
export async function bindDevice(s: DeviceServices, account: Account, input: { serial: string; labelCode: string; sourceIp: string }): Promise<BindOutcome> {
  const scopes = [`account:${account.id}`, `serial:${input.serial}`];
  // Before any work: the locks bound the guesses however they are spread.
  for (const scope of scopes) {
    const state = methodLockState(await s.methodLocks.get(BIND_METHOD, scope), s.clock.now());
    if (state.blocked) return { ok: false, reason: 'throttled', retryAfterSeconds: state.retryAfterSeconds };
  }
  const audited = { actor: { id: account.id, username: account.username }, sourceIp: input.sourceIp, target: `device:${input.serial}` };
  const nonce = randomBytes(32).toString('base64url');
  const proof = await deliverIfReachable(s.router, input.serial, { kind: 'labelProof', nonce }, DEVICE_ANSWER_TIMEOUT_MS);
  if (!proof) return { ok: false, reason: 'device_offline' };
  const typed = normalizeLabelCode(input.labelCode);
  const expected = proof.ok && proof.proof && typed !== undefined ? await hashWithSaltOf(proof.proof.phcPrefix, typed, LABEL_HASH_CEILING) : undefined;
  if (!proof.ok || !proof.proof || !proof.device || expected === undefined || !safeEqual(labelProofMac(expected, nonce), proof.proof.mac)) {
    const now = s.clock.now();
    const locks = await Promise.all(scopes.map((scope) => countMethodFailure(s.methodLocks, BIND_METHOD, scope, BIND_LOCK, now)));
    await s.audit.append({ ...audited, type: 'device.bind_failed', outcome: 'failure', details: { reason: 'label_code', blocked: locks.some((l) => l.blockedUntil !== null) } });
    return { ok: false, reason: 'invalid_label_code' };
  }
  await Promise.all(scopes.map((scope) => s.methodLocks.clear(BIND_METHOD, scope)));

  const secret = randomBytes(32);
  const device: BoundDevice = { serial: input.serial, publicKey: proof.device.publicKey, model: proof.device.model, ownerAccountId: account.id, boundAt: s.clock.now() };
  if (!(await insertBinding(s.db, device, secret, s.secretsKey))) return { ok: false, reason: 'bound_already' };
  const answer = await deliverIfReachable(
    s.router,
    input.serial,
    { kind: 'bind', secret: secret.toString('base64'), cloudPublicKey: s.signingKey.publicKeyPem, ownerLabel: ownerLabelOf(account.username) },
    DEVICE_ANSWER_TIMEOUT_MS,
  );
  if (!answer?.ok) {
    // The recorder did not take it (gone meanwhile, or bound to another cloud): no half binding stays.
    await deleteBinding(s.db, input.serial, account.id);
    return answer ? { ok: false, reason: 'bound_already' } : { ok: false, reason: 'device_offline' };
  }
  await s.audit.append({ ...audited, type: 'device.bound', outcome: 'success', details: { model: device.model } });
  return { ok: true, device };
}

/**
 * The owner unbinds: the row goes at once, and the recorder is told if it is connected (otherwise
 * its next connection hears it: the welcome says unbound). False when the account does not own it.
 */
export async function unbindDevice(s: DeviceServices, account: Account, input: { serial: string; sourceIp: string }): Promise<boolean> {
  if (!(await deleteBinding(s.db, input.serial, account.id))) return false;
  await s.audit.append({
    type: 'device.unbound',
    outcome: 'success',
    actor: { id: account.id, username: account.username },
    sourceIp: input.sourceIp,
    target: `device:${input.serial}`,
    details: { by: 'owner' },
  });
  await deliverIfReachable(s.router, input.serial, { kind: 'unbind' }, DEVICE_ANSWER_TIMEOUT_MS);
  return true;
}
