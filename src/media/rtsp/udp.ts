/** The UDP socket pair for RTP over UDP: RTP on an even port, RTCP on the next (RFC 3550 §11). */
import { createSocket, type Socket } from 'node:dgram';
import { RtspError } from './errors.js';

export interface UdpPair {
  rtp: Socket;
  rtcp: Socket;
  rtpPort: number;
  /** Closes both sockets; safe to call again. */
  close(): void;
}

const ATTEMPTS = 20;

function bind(port: number, family: 'IPv4' | 'IPv6'): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(family === 'IPv6' ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** Binds an ephemeral even port and the odd one after it, on all addresses of the camera's IP family. */
export async function bindUdpPair(family: 'IPv4' | 'IPv6'): Promise<UdpPair> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const first = await bind(0, family);
    if (!first) break;
    const port = first.address().port;
    if (port % 2 !== 0) {
      // The OS picked an odd port: try again rather than guess at free even ports.
      first.close();
      continue;
    }
    const second = await bind(port + 1, family);
    if (!second) {
      first.close();
      continue;
    }
    let open = true;
    return {
      rtp: first,
      rtcp: second,
      rtpPort: port,
      close: () => {
        if (!open) return;
        open = false;
        first.close();
        second.close();
      },
    };
  }
  throw new RtspError('unsupported', 'Could not open a pair of UDP ports for RTP. Use TCP transport for this camera, or check the firewall.');
}
