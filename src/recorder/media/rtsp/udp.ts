/** The UDP socket pair for RTP over UDP: RTP on an even port, RTCP on the next (RFC 3550 §11). */
import { createSocket, type Socket } from 'node:dgram';
import { RtspError } from './errors.js';

export interface UdpPair {
  rtp: Socket;
  rtcp: Socket;
  rtpPort: number;
  close(): void;
}

const ATTEMPTS = 20;

function bind(port: number, address: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** Binds an ephemeral even port and the odd one after it; retries when the odd one is taken. */
export async function bindUdpPair(address = '0.0.0.0'): Promise<UdpPair> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const first = await bind(0, address);
    if (!first) break;
    const port = first.address().port;
    if (port % 2 !== 0 || port === 65534) {
      // The OS picked an odd port: try again rather than guess at free even ports.
      first.close();
      continue;
    }
    const second = await bind(port + 1, address);
    if (!second) {
      first.close();
      continue;
    }
    return {
      rtp: first,
      rtcp: second,
      rtpPort: port,
      close: () => {
        first.close();
        second.close();
      },
    };
  }
  throw new RtspError('unsupported', 'Could not open a pair of UDP ports for RTP. Use TCP transport for this camera, or check the firewall.');
}
