/** Camera URLs: where to connect, the URL to put in requests (no credentials), and control URLs. */
import { RtspError } from './errors.js';

export interface RtspTarget {
  host: string;
  port: number;
  /** The URL as requests carry it: without user and password. */
  url: string;
  /** Credentials written into the URL (rtsp://user:pass@host/...), if any. */
  username?: string;
  password?: string;
}

const DEFAULT_RTSP_PORT = 554;

export function parseRtspUrl(text: string): RtspTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RtspError('unsupported', 'The camera address is not a valid URL: it should look like rtsp://192.168.1.20:554/stream1.');
  }
  if (url.protocol !== 'rtsp:') {
    throw new RtspError('unsupported', `The camera address starts with "${url.protocol}//"; only rtsp:// is supported (not RTSPS or HTTP tunnelling).`);
  }
  if (url.hostname === '') throw new RtspError('unsupported', 'The camera address has no host name: it should look like rtsp://192.168.1.20:554/stream1.');
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return {
    // WHATWG URL keeps IPv6 hosts in brackets; net.connect wants them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? DEFAULT_RTSP_PORT : Number(url.port),
    url: url.href,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

/** The URL without its user and password, for messages. */
export function redactUrl(text: string): string {
  return text.replace(/^(rtsp:\/\/)[^/@]*@/i, '$1');
}

/**
 * The URL of a track or session from the SDP's `a=control`. Absolute controls are used as they are;
 * relative ones are appended to the base with one "/", as ffmpeg and most cameras expect (RFC 3986
 * resolution would drop the base's last path segment when it lacks a trailing slash, and cameras
 * that send "rtsp://cam/stream1" as Content-Base want "rtsp://cam/stream1/trackID=1").
 */
export function resolveControl(base: string, control: string | undefined): string {
  if (control === undefined || control === '' || control === '*') return base;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(control)) return control;
  return base.endsWith('/') ? base + control : `${base}/${control}`;
}
