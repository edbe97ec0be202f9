/**
 * The one error type the RTSP client throws. `kind` is for code (the camera supervisor decides on
 * it: retry, show "wrong password", ...); the message is for people and says what to do. Messages
 * name the camera by its URL without credentials and never contain a password.
 */
export type RtspErrorKind = 'unreachable' | 'timeout' | 'unauthorized' | 'not_found' | 'unsupported' | 'protocol';

export class RtspError extends Error {
  override readonly name = 'RtspError';
  constructor(
    readonly kind: RtspErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
