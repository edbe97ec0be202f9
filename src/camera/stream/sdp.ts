import type { ParameterSets } from '../../media/types.js';

/** The dynamic RTP payload type of the one video track. */
export const VIDEO_PAYLOAD_TYPE = 96;

/** The control attribute of the video track: SETUP's URL is the Content-Base plus this. */
export const VIDEO_TRACK_CONTROL = 'trackID=0';

export interface SessionDescriptionInput {
  /** The session's name (shown by players). */
  name: string;
  /** The server's address as the client reached it, for the origin line. */
  serverAddress: string;
  parameterSets: ParameterSets;
  fps: number;
}

/** The SDP a camera answers DESCRIBE with (RFC 8866), one H.264 or H.265 video track. Pure. */
export function sessionDescription(input: SessionDescriptionInput): string {
  const { parameterSets: sets } = input;
  const ipVersion = input.serverAddress.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=- 0 0 IN ${ipVersion} ${input.serverAddress}`,
    `s=${input.name}`,
    `c=IN ${ipVersion} ${ipVersion === 'IP6' ? '::' : '0.0.0.0'}`,
    't=0 0',
    'a=control:*',
    'a=range:npt=now-',
    `m=video 0 RTP/AVP ${VIDEO_PAYLOAD_TYPE}`,
    `a=rtpmap:${VIDEO_PAYLOAD_TYPE} ${sets.codec === 'h264' ? 'H264' : 'H265'}/90000`,
    `a=fmtp:${VIDEO_PAYLOAD_TYPE} ${formatParameters(sets)}`,
    `a=framerate:${input.fps}`,
    `a=control:${VIDEO_TRACK_CONTROL}`,
  ];
  return lines.map((line) => `${line}\r\n`).join('');
}

function formatParameters(sets: ParameterSets): string {
  const b64 = (nal: Buffer) => nal.toString('base64');
  if (sets.codec === 'h264') {
    // profile_idc, constraint flags and level_idc: the three bytes after the SPS's NAL header.
    const profileLevelId = sets.sps.subarray(1, 4).toString('hex').toUpperCase();
    return `packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${b64(sets.sps)},${b64(sets.pps)}`;
  }
  if (!sets.vps) throw new Error('H.265 needs a VPS');
  return `sprop-vps=${b64(sets.vps)};sprop-sps=${b64(sets.sps)};sprop-pps=${b64(sets.pps)}`;
}
