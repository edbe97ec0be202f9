// Why a camera could not be reached or read, in words a person can act on. Pure.

import { CONNECT_FAILURE_KINDS } from '../../api/cameras.js';

export type ConnectFailureKind = (typeof CONNECT_FAILURE_KINDS)[number];

const MESSAGES: Record<ConnectFailureKind, string> = {
  unreachable: 'The camera could not be reached. Check the address and port, and that the camera is on and on this network.',
  timeout: 'The camera did not answer in time. Check the address, and that nothing between the recorder and the camera blocks RTSP.',
  unauthorized: 'The camera refused the user name or password.',
  not_found: 'The camera has no stream at that address. Check the path after the host (see the camera’s manual for its RTSP path).',
  unsupported: 'The camera offers no video this recorder can read: it needs H.264 or H.265 over RTSP.',
  protocol: 'The camera answered, but not in a way this recorder understands. Try the other transport (TCP or UDP).',
  no_video: 'The camera accepted the connection but sent no video.',
};

export function describeConnectFailure(kind: ConnectFailureKind): string {
  return MESSAGES[kind];
}

/**
 * The kind of a failed connection. The RTSP client's errors carry one; anything else (a bug, an
 * unexpected exception) counts as a protocol failure rather than a crash of the caller.
 */
export function connectFailureKindOf(error: unknown): ConnectFailureKind {
  const kind: unknown = typeof error === 'object' && error !== null ? (error as { kind?: unknown }).kind : undefined;
  return (CONNECT_FAILURE_KINDS as readonly unknown[]).includes(kind) ? (kind as ConnectFailureKind) : 'protocol';
}
