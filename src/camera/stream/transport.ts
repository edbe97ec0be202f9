/** How a client asked to receive RTP (the SETUP request's Transport header, RFC 2326 §12.39). */
export type TransportRequest =
  | { kind: 'tcp'; rtpChannel: number; rtcpChannel: number }
  | { kind: 'udp'; rtpPort: number; rtcpPort: number };

/**
 * The first transport in the header this server supports: unicast RTP over the RTSP connection
 * (`RTP/AVP/TCP;interleaved=a-b`) or over UDP (`RTP/AVP;unicast;client_port=a-b`). Multicast is not
 * offered. Pure.
 */
export function chooseTransport(header: string): TransportRequest | undefined {
  for (const spec of header.split(',')) {
    const [profile = '', ...params] = spec.trim().split(';').map((part) => part.trim());
    const values = new Map(params.map((param) => {
      const eq = param.indexOf('=');
      return eq < 0 ? [param.toLowerCase(), ''] : [param.slice(0, eq).toLowerCase(), param.slice(eq + 1)];
    }));
    if (values.has('multicast')) continue;
    const upperProfile = profile.toUpperCase();
    if (upperProfile === 'RTP/AVP/TCP') {
      const channels = parseRange(values.get('interleaved') ?? '0-1', 255);
      if (channels) return { kind: 'tcp', rtpChannel: channels[0], rtcpChannel: channels[1] };
    } else if (upperProfile === 'RTP/AVP' || upperProfile === 'RTP/AVP/UDP') {
      const ports = parseRange(values.get('client_port') ?? '', 65535);
      if (ports && ports[0] > 0) return { kind: 'udp', rtpPort: ports[0], rtcpPort: ports[1] };
    }
  }
  return undefined;
}

/** `a-b` or `a` (then b = a + 1), both within 0..max. */
function parseRange(value: string, max: number): [number, number] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = match[2] === undefined ? first + 1 : Number(match[2]);
  return first <= max && second <= max ? [first, second] : undefined;
}

/** The Transport header of the SETUP response. */
export function transportResponse(chosen: TransportRequest, ssrc: number, serverPorts: { rtp: number; rtcp: number }): string {
  const ssrcHex = (ssrc >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return chosen.kind === 'tcp'
    ? `RTP/AVP/TCP;unicast;interleaved=${chosen.rtpChannel}-${chosen.rtcpChannel};ssrc=${ssrcHex}`
    : `RTP/AVP;unicast;client_port=${chosen.rtpPort}-${chosen.rtcpPort};server_port=${serverPorts.rtp}-${serverPorts.rtcp};ssrc=${ssrcHex}`;
}
