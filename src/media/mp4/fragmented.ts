import { u32 } from '../bytes.js';
import { isParameterSet, parameterSetsFromDecoderConfig, trackConfig, type TrackConfig } from '../codec/track-config.js';
import type { VideoCodec } from '../types.js';
import { box, childBoxes, findBox, fullBox, readBoxHeader } from './box.js';
import { fileType, movieHeader, sampleDescription, TRACK_ID, videoTrack } from './movie.js';

/**
 * Fragmented MP4 (ISO 14496-12 8.8): an init segment (ftyp + moov without samples), then
 * fragments (moof + mdat). Recordings are stored in this form, and browsers play it through
 * Media Source Extensions as it is.
 */

export interface SampleInfo {
  /** On the 90 kHz clock. */
  duration: number;
  size: number;
  keyframe: boolean;
}

const SYNC_SAMPLE_FLAGS = 0x02000000; // sample_depends_on = 2 (depends on no other)
const NON_SYNC_SAMPLE_FLAGS = 0x01010000; // sample_depends_on = 1, sample_is_non_sync_sample

export function initSegment(track: TrackConfig): Buffer {
  const emptyTables = box(
    'stbl',
    sampleDescription(track),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );
  const trackExtends = fullBox('trex', 0, 0, u32(TRACK_ID), u32(1), u32(0), u32(0), u32(0));
  // iso6: movie fragments with tfdt, as MSE expects.
  return Buffer.concat([fileType('iso6', ['iso6', 'isom', 'mp41']), box('moov', movieHeader(0), videoTrack(track, 0, emptyTables), box('mvex', trackExtends))]);
}

export interface FragmentSample {
  /** On the 90 kHz clock. */
  duration: number;
  keyframe: boolean;
  /** The frame's NAL units. Parameter sets among them are left out: they travel in the init segment (avc1/hvc1 sample entries). */
  nalus: readonly Buffer[];
}

export interface FragmentPieces {
  /** To be written in this order: they make one moof + mdat. */
  pieces: Buffer[];
  length: number;
}

const TRUN_FLAGS = 0x000701; // data offset, per-sample duration, size and flags
const TRUN_ENTRY_SIZE = 12;
/** moof + mfhd + traf + tfhd + tfdt (version 1) + trun without its entries. */
const MOOF_FIXED_SIZE = 8 + 16 + 8 + 16 + 20 + 20;
const MDAT_HEADER_SIZE = 8;
const NAL_LENGTH_SIZE = 4;

/**
 * One fragment (moof, then mdat with length-prefixed NAL units) as pieces: one small buffer holds
 * the boxes and every length prefix, and views of it alternate with the NAL units themselves. So
 * the video is never copied (a recorder writes ~250 KB a second per camera) and a fragment costs
 * one allocation, however many frames it has.
 */
export function fragmentPieces(codec: VideoCodec, sequenceNumber: number, baseMediaDecodeTime: number, samples: readonly FragmentSample[]): FragmentPieces {
  const kept = samples.map((s) => s.nalus.filter((n) => !isParameterSet(codec, n)));
  const nalCount = kept.reduce((sum, nalus) => sum + nalus.length, 0);
  const moofSize = MOOF_FIXED_SIZE + TRUN_ENTRY_SIZE * samples.length;
  const head = Buffer.allocUnsafe(moofSize + MDAT_HEADER_SIZE + NAL_LENGTH_SIZE * nalCount);
  let at = 0;
  const u32At = (value: number) => (at = head.writeUInt32BE(value, at));
  const boxHeader = (size: number, type: string) => {
    u32At(size);
    at += head.write(type, at, 'latin1');
  };
  boxHeader(moofSize, 'moof');
  boxHeader(16, 'mfhd');
  u32At(0); // version, flags
  u32At(sequenceNumber);
  boxHeader(moofSize - 24, 'traf');
  boxHeader(16, 'tfhd');
  u32At(0x020000); // default-base-is-moof
  u32At(TRACK_ID);
  boxHeader(20, 'tfdt');
  u32At(0x01000000); // version 1: a 64-bit time
  at = head.writeBigUInt64BE(BigInt(baseMediaDecodeTime), at);
  boxHeader(20 + TRUN_ENTRY_SIZE * samples.length, 'trun');
  u32At(TRUN_FLAGS);
  u32At(samples.length);
  u32At(moofSize + MDAT_HEADER_SIZE); // data offset, from the moof's start
  let dataLength = 0;
  samples.forEach((sample, i) => {
    const size = kept[i]!.reduce((sum, n) => sum + NAL_LENGTH_SIZE + n.length, 0);
    dataLength += size;
    u32At(sample.duration);
    u32At(size);
    u32At(sample.keyframe ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
  });
  boxHeader(MDAT_HEADER_SIZE + dataLength, 'mdat');
  const pieces: Buffer[] = [];
  let from = 0;
  for (const nalus of kept) {
    for (const nal of nalus) {
      u32At(nal.length);
      pieces.push(head.subarray(from, at), nal);
      from = at;
    }
  }
  if (from < at) pieces.push(head.subarray(from, at)); // a fragment without NAL units
  return { pieces, length: head.length + dataLength - NAL_LENGTH_SIZE * nalCount };
}

/** One fragment in one buffer (for a viewer's stream, written as one chunk). */
export function fragment(codec: VideoCodec, sequenceNumber: number, baseMediaDecodeTime: number, samples: readonly FragmentSample[]): Buffer {
  const { pieces, length } = fragmentPieces(codec, sequenceNumber, baseMediaDecodeTime, samples);
  return Buffer.concat(pieces, length);
}

export interface FragmentHeader {
  baseMediaDecodeTime: number;
  samples: SampleInfo[];
  /** Where the first sample's bytes start, from the start of the moof. */
  dataOffset: number;
}

/** Reads back a moof box (header included) that `fragment` wrote. */
export function parseMoof(moof: Buffer): FragmentHeader {
  const traf = findBox(moof, ['moof', 'traf']);
  const tfdt = traf && findBox(traf, ['tfdt']);
  const trun = traf && findBox(traf, ['trun']);
  if (!tfdt || !trun) throw new Error('moof without tfdt or trun');
  const baseMediaDecodeTime = tfdt[0] === 1 ? Number(tfdt.readBigUInt64BE(4)) : tfdt.readUInt32BE(4);
  const flags = trun.readUInt32BE(0) & 0xffffff;
  if (flags !== 0x000701) throw new Error(`trun flags ${flags.toString(16)} not written by Vigil`);
  const count = trun.readUInt32BE(4);
  const dataOffset = trun.readUInt32BE(8);
  const samples: SampleInfo[] = [];
  for (let i = 0, at = 12; i < count; i++, at += 12) {
    samples.push({
      duration: trun.readUInt32BE(at),
      size: trun.readUInt32BE(at + 4),
      keyframe: (trun.readUInt32BE(at + 8) & 0x00010000) === 0,
    });
  }
  return { baseMediaDecodeTime, samples, dataOffset };
}

/** A copy of a fragment's moof with another base media decode time (to place it on a playback timeline). */
export function withBaseMediaDecodeTime(moof: Buffer, baseMediaDecodeTime: number): Buffer {
  const copy = Buffer.from(moof);
  const traf = childBoxes(copy, 8).find((b) => b.type === 'traf');
  const tfdt = traf && childBoxes(copy, traf.offset + traf.headerSize, traf.offset + traf.size).find((b) => b.type === 'tfdt');
  if (!tfdt || copy[tfdt.offset + 8] !== 1) throw new Error('moof without a version 1 tfdt');
  copy.writeBigUInt64BE(BigInt(baseMediaDecodeTime), tfdt.offset + 12);
  return copy;
}

/** The size of the ftyp + moov at the start of a recording, or undefined if they are not whole. */
export function initSegmentLength(head: Buffer): number | undefined {
  const ftyp = readBoxHeader(head, 0);
  if (ftyp?.type !== 'ftyp') return undefined;
  const moov = readBoxHeader(head, ftyp.size);
  if (moov?.type !== 'moov' || ftyp.size + moov.size > head.length) return undefined;
  return ftyp.size + moov.size;
}

/** The track configuration an init segment (or any moov Vigil wrote) describes. */
export function trackConfigOfMovie(head: Buffer): TrackConfig {
  const stsd = findBox(head, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd']);
  const entry = stsd && readBoxHeader(stsd, 8);
  if (!stsd || !entry || (entry.type !== 'avc1' && entry.type !== 'hvc1')) throw new Error('no avc1/hvc1 sample entry');
  const VISUAL_SAMPLE_ENTRY_FIELDS = 78;
  const configType = entry.type === 'avc1' ? 'avcC' : 'hvcC';
  const children = childBoxes(stsd, entry.offset + entry.headerSize + VISUAL_SAMPLE_ENTRY_FIELDS, entry.offset + entry.size);
  const config = children.find((b) => b.type === configType);
  if (!config) throw new Error(`sample entry without ${configType}`);
  return trackConfig(parameterSetsFromDecoderConfig(configType, stsd.subarray(config.offset + config.headerSize, config.offset + config.size)));
}
