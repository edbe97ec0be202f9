import { pino, type Logger } from 'pino';

/**
 * The one place where log records are serialised, so secrets are masked here and nowhere else:
 * a mask per call site gets forgotten by the next call site.
 */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'labelCode',
  'token',
  'csrfToken',
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
];

const redactPaths = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `req.headers["${key}"]`,
  `res.headers["${key}"]`,
]);

export type { Logger };

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const opts = {
    level: options.level ?? process.env.VIGIL_LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: undefined,
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
