import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP } from 'node:net';

/** The server's RTP and RTCP sockets on an even port and the one above it (RFC 3550 §11). */
export interface UdpPortPair {
  rtp: UdpSocket;
  rtcp: UdpSocket;
  rtpPort: number;
  rtcpPort: number;
}

const FIRST_PORT = 20_000;
const LAST_PORT = 59_998;

/** Binds a free pair at a random even port on `host`. */
export async function bindUdpPortPair(host: string): Promise<UdpPortPair> {
  const type = isIP(host) === 6 ? 'udp6' : 'udp4';
  for (let attempt = 0; attempt < 50; attempt++) {
    const rtpPort = FIRST_PORT + 2 * Math.floor((Math.random() * (LAST_PORT - FIRST_PORT)) / 2);
    const rtp = await bind(type, host, rtpPort);
    if (!rtp) continue;
    const rtcp = await bind(type, host, rtpPort + 1);
    if (rtcp) return { rtp, rtcp, rtpPort, rtcpPort: rtpPort + 1 };
    rtp.close();
  }
  throw new Error(`no free pair of UDP ports on ${host} for RTP`);
}

function bind(type: 'udp4' | 'udp6', host: string, port: number): Promise<UdpSocket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(type);
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, host, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
