// A camera's RTSP address: checked, and cleaned of the credentials people paste into it. Pure.

import { MAX_URL_LENGTH } from '../../api/cameras.js';

const DEFAULT_PORTS: Record<string, number> = { 'rtsp:': 554, 'rtsps:': 322 };

export type ParsedCameraUrl =
  | {
      ok: true;
      /** The address without credentials: what is stored and shown. */
      url: string;
      /** Credentials that were in the address (rtsp://user:pass@host/…), %-decoded. */
      username?: string;
      password?: string;
    }
  | { ok: false; message: string };

const refuse = (message: string): ParsedCameraUrl => ({ ok: false, message });

/**
 * Checks an address typed or pasted by a person: rtsp:// or rtsps://, a host, a valid port. Any
 * credentials in it are split out, so that neither the database's url column nor any response,
 * log line or audit entry that shows the address ever carries a password.
 */
export function parseCameraUrl(input: string): ParsedCameraUrl {
  const text = input.trim();
  if (text.length === 0) return refuse('Enter the camera’s RTSP address, e.g. rtsp://192.168.1.64:554/stream1.');
  if (text.length > MAX_URL_LENGTH) return refuse(`The address is too long (at most ${MAX_URL_LENGTH} characters).`);
  // Control characters and spaces would end up in the RTSP request line.
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return refuse('The address must not contain spaces or control characters.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('That is not a valid address. It should look like rtsp://192.168.1.64:554/stream1.');
  }
  if (!(url.protocol in DEFAULT_PORTS)) return refuse('The address must start with rtsp:// or rtsps://.');
  if (url.hostname === '') return refuse('The address has no camera host name or IP address after rtsp://.');
  if (url.hash !== '') return refuse('The address must not contain a # fragment.');
  let username: string | undefined;
  let password: string | undefined;
  try {
    username = url.username === '' ? undefined : decodeURIComponent(url.username);
    password = url.password === '' ? undefined : decodeURIComponent(url.password);
  } catch {
    return refuse('The user name or password in the address has a broken %-escape.');
  }
  url.username = '';
  url.password = '';
  return { ok: true, url: url.href, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

/**
 * Scheme, host and port, with the default port filled in: the server a camera's password is sent
 * to. A new path on the same server may keep the stored password; another server may not.
 */
export function endpointOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === '' ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}:${port}`;
}

/**
 * The login to use: what is typed into the fields, and where a field is empty, what was pasted
 * into the address (which keeps neither). An empty or null user name with none in the address
 * means none (cameras without login); the password stays write-only: absent keeps, null removes.
 */
export function credentialsOf(
  fields: { username?: string | null; password?: string | null },
  fromUrl: { username?: string; password?: string },
): { username: string | null | undefined; password: string | null | undefined } {
  const typedUsername = fields.username === '' ? null : fields.username;
  const username = typedUsername ?? fromUrl.username ?? typedUsername;
  const password = typeof fields.password === 'string' ? fields.password : (fromUrl.password ?? fields.password);
  return { username, password };
}
