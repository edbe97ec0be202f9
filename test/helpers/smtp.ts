// A real SMTP server (the smtp-server package) on 127.0.0.1 for tests: requires a login and keeps
// every message it accepts, parsed just enough to check who it is for and what it says.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender and recipients, as the SMTP conversation gave them. */
  mailFrom: string;
  rcptTo: string[];
  /** Header values by lower-case name. */
  headers: Record<string, string>;
  /** The decoded plain-text body. */
  text: string;
  /** The message exactly as received. */
  raw: string;
  /** The SMTP username that sent it. */
  authUser: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  username: string;
  password: string;
  mails: ReceivedMail[];
  /** Logins refused for a wrong username or password. */
  refusedLogins: number;
  close(): Promise<void>;
}

export const SMTP_USERNAME = 'vigil-mailer';
export const SMTP_PASSWORD = 'Smtp-SECRET-marker 5150';

function unfoldHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const text =
    encoding?.toLowerCase() === 'quoted-printable'
      ? Buffer.from(
          body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8')
      : encoding?.toLowerCase() === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = unfoldHeaders(raw.slice(0, split));
  return { headers, text: decodeBody(raw.slice(split + 4), headers['content-transfer-encoding']) };
}

/** What an admin enters on the Security page to send through `smtp` (a body for PUT /api/v1/settings/mail). */
export function mailSettingsFor(smtp: TestSmtpServer) {
  return {
    enabled: true,
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    username: smtp.username,
    password: smtp.password,
    from: 'recorder@example.net',
  };
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    port: 0,
    username: SMTP_USERNAME,
    password: SMTP_PASSWORD,
    mails: [],
    refusedLogins: 0,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true, // plain SMTP on loopback: no certificate to manage in tests
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USERNAME && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      state.refusedLogins++;
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        state.mails.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          ...parseMail(raw),
          raw,
          authUser: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
