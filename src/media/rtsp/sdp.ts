/** SDP (RFC 8866) as cameras answer DESCRIBE: just what is needed to set up their video track. */
import type { ParameterSets, VideoCodec } from '../types.js';
import { RtspError } from './errors.js';

export interface SdpMedia {
  /** "video", "audio", "application", ... */
  type: string;
  /** RTP payload types offered, in order. */
  formats: number[];
  /** a=rtpmap per payload type, e.g. { encoding: "H264", clockRate: 90000 }. */
  rtpmap: Map<number, { encoding: string; clockRate: number }>;
  /** a=fmtp per payload type, parameter names lower-cased. */
  fmtp: Map<number, Map<string, string>>;
  control?: string;
}

export interface Sdp {
  /** Session-level a=control: the URL for aggregate requests such as PLAY. */
  control?: string;
  media: SdpMedia[];
}

export function parseSdp(text: string): Sdp {
  const sdp: Sdp = { media: [] };
  let media: SdpMedia | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.length < 2 || line[1] !== '=') continue;
    const value = line.slice(2);
    if (line[0] === 'm') {
      const [type = '', , , ...formats] = value.split(/\s+/);
      media = { type: type.toLowerCase(), formats: formats.map(Number).filter(Number.isInteger), rtpmap: new Map(), fmtp: new Map() };
      sdp.media.push(media);
    } else if (line[0] === 'a') {
      const colon = value.indexOf(':');
      const name = (colon < 0 ? value : value.slice(0, colon)).toLowerCase();
      const rest = colon < 0 ? '' : value.slice(colon + 1).trim();
      if (name === 'control') {
        if (media) media.control = rest;
        else sdp.control = rest;
      } else if (media && (name === 'rtpmap' || name === 'fmtp')) {
        const space = rest.search(/\s/);
        const payloadType = Number(space < 0 ? rest : rest.slice(0, space));
        const parameters = space < 0 ? '' : rest.slice(space + 1).trim();
        if (!Number.isInteger(payloadType)) continue;
        if (name === 'rtpmap') {
          const [encoding = '', clockRate = ''] = parameters.split('/');
          media.rtpmap.set(payloadType, { encoding: encoding.toUpperCase(), clockRate: Number(clockRate) });
        } else {
          media.fmtp.set(payloadType, parseFmtp(parameters));
        }
      }
    }
  }
  return sdp;
}

function parseFmtp(parameters: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of parameters.split(';')) {
    // Split at the first "=" only: base64 values end in "=" padding.
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return map;
}

export interface VideoTrack {
  codec: VideoCodec;
  payloadType: number;
  /** Of its RTP timestamps: 90 kHz, as RFC 6184 and 7798 require, unless the rtpmap says otherwise. */
  clockRate: number;
  control?: string;
  /** From sprop-*; partial or absent when the camera only sends them in-band. */
  parameterSets: Partial<Omit<ParameterSets, 'codec'>>;
}

const ENCODINGS: Record<string, VideoCodec> = { H264: 'h264', H265: 'h265' };

/** The first H.264 or H.265 video track; an 'unsupported' RtspError naming what was offered otherwise. */
export function firstVideoTrack(sdp: Sdp): VideoTrack {
  const offered: string[] = [];
  for (const media of sdp.media) {
    if (media.type !== 'video') continue;
    for (const payloadType of media.formats) {
      const rtpmap = media.rtpmap.get(payloadType);
      const encoding = rtpmap?.encoding ?? `payload type ${payloadType}`;
      const codec = ENCODINGS[encoding];
      if (codec === undefined) {
        offered.push(encoding);
        continue;
      }
      const fmtp = media.fmtp.get(payloadType) ?? new Map<string, string>();
      return {
        codec,
        payloadType,
        clockRate: rtpmap?.clockRate || 90_000,
        ...(media.control === undefined ? {} : { control: media.control }),
        parameterSets: codec === 'h264' ? h264Sprops(fmtp) : h265Sprops(fmtp),
      };
    }
  }
  throw new RtspError(
    'unsupported',
    offered.length === 0
      ? 'The camera offers no video track. Check the stream path, or pick another stream in the camera settings.'
      : `The camera sends video as ${offered.join(', ')}; only H.264 and H.265 are supported. Switch the stream to H.264 or H.265 in the camera settings.`,
  );
}

function decodeBase64List(value: string | undefined): Buffer[] {
  if (value === undefined) return [];
  return value.split(',').map((b64) => Buffer.from(b64.trim(), 'base64')).filter((nal) => nal.length > 0);
}

/** sprop-parameter-sets (RFC 6184): SPS and PPS NAL units, base64, comma-separated, in any order. */
function h264Sprops(fmtp: Map<string, string>): VideoTrack['parameterSets'] {
  const sets: VideoTrack['parameterSets'] = {};
  for (const nal of decodeBase64List(fmtp.get('sprop-parameter-sets'))) {
    const type = nal[0]! & 0x1f;
    if (type === 7) sets.sps ??= nal;
    else if (type === 8) sets.pps ??= nal;
  }
  return sets;
}

/** sprop-vps, sprop-sps, sprop-pps (RFC 7798): one list each; the first of each is used. */
function h265Sprops(fmtp: Map<string, string>): VideoTrack['parameterSets'] {
  const sets: VideoTrack['parameterSets'] = {};
  const [vps] = decodeBase64List(fmtp.get('sprop-vps'));
  const [sps] = decodeBase64List(fmtp.get('sprop-sps'));
  const [pps] = decodeBase64List(fmtp.get('sprop-pps'));
  if (vps) sets.vps = vps;
  if (sps) sets.sps = sps;
  if (pps) sets.pps = pps;
  return sets;
}
