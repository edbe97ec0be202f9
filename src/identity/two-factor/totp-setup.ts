import { base32Encode } from './totp.js';

/**
 * What a person sets an authenticator app up from: the secret as text to type (base32), the
 * otpauth URI, and the URI as a QR code to scan (a PNG data URL). qrcode loads on first use.
 */
export async function totpSetupView(secret: Buffer, otpauthUri: string): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
  const qrCode = await (await import('qrcode')).default.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return { secret: base32Encode(secret), otpauthUri, qrCode };
}
