/**
 * connectRtsp: plays a camera's first H.264/H.265 video track over RTSP 1.0 and yields its frames.
 * OPTIONS, DESCRIBE, SETUP (TCP interleaved or UDP), PLAY; keep-alive within the session timeout;
 * TEARDOWN on close. A camera that stops sending RTP for timeoutMs fails the stream with 'timeout'.
 */
import type { Socket } from 'node:dgram';
import type { Clock } from '../../shared/clock.js';
import type { RtspSource } from '../types.js';
import type { Credentials } from './auth.js';
import { RtspConnection } from './connection.js';
import { RtspError } from './errors.js';
import { header, parsePortPair, parseTransportHeader } from './message.js';
import { PlayingStream, type RtspVideoStream } from './playing-stream.js';
import { firstVideoTrack, parseSdp } from './sdp.js';
import { RtspSession } from './session.js';
import { bindUdpPair, type UdpPair } from './udp.js';
import { parseRtspUrl, redactUrl, resolveControl } from './url.js';

export type { RtspStreamStats, RtspVideoStream } from './playing-stream.js';
export { RtspError, type RtspErrorKind } from './errors.js';

export interface ConnectOptions {
  clock: Clock;
  /** How long to wait for an answer, and for RTP before the stream fails with 'timeout'. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function connectRtsp(source: RtspSource, options: ConnectOptions): Promise<RtspVideoStream> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = parseRtspUrl(source.url);
  const where = redactUrl(target.url);
  const username = source.username ?? target.username;
  const credentials: Credentials | undefined = username === undefined ? undefined : { username, password: source.password ?? target.password ?? '' };

  const connection = await RtspConnection.open(target.host, target.port, timeoutMs, where);
  let udp: UdpPair | undefined;
  try {
    const session = new RtspSession(connection, credentials, where);
    const offered = await session.request('OPTIONS', target.url);
    const describe = await session.request('DESCRIBE', target.url, [['Accept', 'application/sdp']]);
    const sdp = parseSdp(describe.body.toString('utf8'));
    const track = firstVideoTrack(sdp);
    // Controls are relative to Content-Base, else Content-Location, else the URL that was described.
    const base = header(describe, 'content-base') ?? header(describe, 'content-location') ?? target.url;

    if (source.transport === 'udp') udp = await bindUdpPair(connection.remoteFamily);
    const setup = await session.request('SETUP', resolveControl(base, track.control), [
      ['Transport', udp ? `RTP/AVP;unicast;client_port=${udp.rtpPort}-${udp.rtpPort + 1}` : 'RTP/AVP/TCP;unicast;interleaved=0-1'],
    ]);
    const transport = parseTransportHeader(header(setup, 'transport') ?? '');
    // The camera may pick other channels than the ones asked for.
    const [rtpChannel, rtcpChannel] = parsePortPair(transport.get('interleaved')) ?? [0, 1];
    // Only the camera's packets: anyone on the network can send to an open UDP port. The camera
    // names its sending address in "source=" when it differs from the one we connected to.
    const cameraAddress = transport.get('source') || connection.remoteAddress;
    const cameraRtcpPort = parsePortPair(transport.get('server_port'))?.[1];
    if (!session.session) throw new RtspError('protocol', `The camera at ${where} set up the stream without a session id.`);
    const playUrl = resolveControl(base, sdp.control);
    const stream = new PlayingStream({
      codec: track.codec,
      payloadType: track.payloadType,
      clockRate: track.clockRate,
      parameterSets: track.parameterSets,
      clock: options.clock,
      transport: source.transport,
      timeoutMs,
      where,
      sendRtcp: udp ? udpRtcpSender(udp.rtcp, cameraAddress, cameraRtcpPort) : (packet) => connection.sendInterleaved(rtcpChannel, packet),
      teardown: () => {
        session.teardown(playUrl);
        connection.close();
        udp?.close();
      },
    });
    connection.listen({
      interleaved: (channel, data, start, end) => {
        if (channel === rtpChannel) stream.receiveRtp(data, start, end);
        else if (channel === rtcpChannel) stream.receiveRtcp(data.subarray(start, end));
      },
      lost: (error) => stream.fail(error),
    });
    if (udp) {
      udp.rtp.on('message', (data, from) => {
        if (from.address === cameraAddress) stream.receiveRtp(data);
      });
      udp.rtcp.on('message', (data, from) => {
        if (from.address === cameraAddress) stream.receiveRtcp(data);
      });
      for (const socket of [udp.rtp, udp.rtcp]) {
        socket.on('error', (error) => stream.fail(new RtspError('unreachable', `Receiving video from the camera at ${where} over UDP failed (${error.message}).`, { cause: error })));
      }
    }
    await session.request('PLAY', playUrl, [['Range', 'npt=0.000-']]);
    stream.startWatching();

    // GET_PARAMETER is the usual keep-alive; cameras that do not list it get OPTIONS instead.
    const keepAliveMethod = /\bGET_PARAMETER\b/i.test(header(offered, 'public') ?? '') ? 'GET_PARAMETER' : 'OPTIONS';
    const keepAlive = setInterval(() => {
      // A refused keep-alive is harmless; an unanswered one or a dead connection fails the
      // stream through the connection's `lost` event.
      session.request(keepAliveMethod, keepAliveMethod === 'OPTIONS' ? target.url : playUrl).catch(() => {});
    }, (session.session.timeoutSeconds * 1000) / 2);
    keepAlive.unref();
    stream.onClose(() => clearInterval(keepAlive));
    return stream;
  } catch (error) {
    connection.close();
    udp?.close();
    throw error;
  }
}

/** To the camera's RTCP port, if its SETUP answer named it (no receiver reports otherwise). */
function udpRtcpSender(socket: Socket, address: string | undefined, port: number | undefined): ((packet: Buffer) => void) | undefined {
  if (address === undefined || port === undefined) return undefined;
  // With a callback, a failed send is reported there instead of as the socket's 'error', which
  // would fail the stream: a report that did not leave is no reason to stop recording.
  return (packet) => socket.send(packet, port, address, () => {});
}
