import { hotp, STANDARD_TOTP, timeStep } from '../../src/identity/two-factor/totp.js';
import type { RecoveryCodes, TotpEnrolment } from '../../src/recorder/api/two-factor.js';
import type { ApiClient } from './client.js';
import { STRONG_PASSWORD, type TestRecorder } from './recorder.js';

/** What an authenticator app does with the text secret: RFC 4648 base32 back to bytes. */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code an authenticator app shows at the recorder's (manual) time, `stepsLater` steps on. */
export function appCode(rec: TestRecorder, secret: Buffer, stepsLater = 0): string {
  return hotp(secret, timeStep(rec.clock.now()) + stepsLater, STANDARD_TOTP.algorithm, STANDARD_TOTP.digits);
}

/** Sets up an authenticator app for the logged-in client, as a person would: scan, type the first code. */
export async function enrolTotp(
  rec: TestRecorder,
  client: ApiClient,
  password = STRONG_PASSWORD,
): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
  const start = await client.post<TotpEnrolment>('/api/v1/me/2fa/totp', { currentPassword: password });
  if (start.status !== 200) throw new Error(`enrolment start failed: ${start.status} ${JSON.stringify(start.body)}`);
  const secret = base32Decode(start.body.secret);
  const confirm = await client.post<RecoveryCodes>('/api/v1/me/2fa/totp/confirm', { currentPassword: password, code: appCode(rec, secret) });
  if (confirm.status !== 200) throw new Error(`enrolment confirm failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  return { secret, recoveryCodes: confirm.body.recoveryCodes };
}
