// The cloud path's calls to the recorder: the offline challenge and code, and the waiting period.
import { request } from '../api.js';
import type { CloudResetSettings, CloudResetWaiting, OfflineChallengeView, PendingCloudResets } from '../../../src/recorder/api/cloud-reset.js';
import type { ResetGrant } from './types.js';

export type { CloudResetWaiting, OfflineChallengeView, PendingCloudResets };

export const openCloudChallenge = () => request<OfflineChallengeView>('POST', '/recovery/cloud/challenge', { authenticated: false });

/** A grant, or (when the admin set a waiting period) the claim that buys one when the wait ends. */
export const answerCloudChallenge = (username: string, code: string) =>
  request<ResetGrant | CloudResetWaiting>('POST', '/recovery/cloud/verify', { body: { username, code }, authenticated: false });

export const claimCloudReset = (claimToken: string) =>
  request<ResetGrant>('POST', '/recovery/cloud/pending/claim', { body: { claimToken }, authenticated: false });

export const pendingCloudResets = () => request<PendingCloudResets>('GET', '/recovery/cloud/pending', { authenticated: false });

/** The owner at the LAN, without logging in. */
export const cancelCloudResetsFromLan = () => request<{ cancelled: number }>('POST', '/recovery/cloud/pending/cancel', { authenticated: false });

/** An admin, logged in. */
export const cancelCloudResetsAsAdmin = () => request<{ cancelled: number }>('POST', '/settings/cloud-reset/cancel-pending');

export const getCloudResetSettings = () => request<CloudResetSettings>('GET', '/settings/cloud-reset');
export const saveCloudResetSettings = (waitHours: number) => request<CloudResetSettings>('PUT', '/settings/cloud-reset', { body: { waitHours } });

export const isWaiting = (answer: ResetGrant | CloudResetWaiting): answer is CloudResetWaiting => 'claimToken' in answer;

/**
 * A waiting period can last days: the claim is kept in this browser so that coming back to the
 * wizard later finds it. It buys a grant only after the wait, and only while nobody cancelled it.
 */
const CLAIM_KEY = 'vigil.cloudResetClaim';

export function rememberClaim(waiting: CloudResetWaiting): void {
  localStorage.setItem(CLAIM_KEY, JSON.stringify(waiting));
}

export function rememberedClaim(): CloudResetWaiting | null {
  try {
    const stored = JSON.parse(localStorage.getItem(CLAIM_KEY) ?? 'null') as CloudResetWaiting | null;
    return stored && typeof stored.claimToken === 'string' ? stored : null;
  } catch {
    return null;
  }
}

export function forgetClaim(): void {
  localStorage.removeItem(CLAIM_KEY);
}
