import { u32, u64 } from '../bytes.js';
import { parameterSetsFromDecoderConfig, trackConfig, type TrackConfig } from '../codec/track-config.js';
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

/**
 * One fragment: moof then mdat with the samples' bytes (already length-prefixed NAL units), in
 * one buffer so that it reaches the file in one write.
 */
export function fragment(sequenceNumber: number, baseMediaDecodeTime: number, samples: readonly SampleInfo[], data: readonly Buffer[]): Buffer {
  const trunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400; // data offset, per-sample duration, size, flags
  const moofFor = (dataOffset: number) =>
    box(
      'moof',
      fullBox('mfhd', 0, 0, u32(sequenceNumber)),
      box(
        'traf',
        fullBox('tfhd', 0, 0x020000 /* default-base-is-moof */, u32(TRACK_ID)),
        fullBox('tfdt', 1, 0, u64(baseMediaDecodeTime)),
        fullBox(
          'trun',
          0,
          trunFlags,
          u32(samples.length),
          u32(dataOffset),
          ...samples.map((s) =>
            Buffer.concat([u32(s.duration), u32(s.size), u32(s.keyframe ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS)]),
          ),
        ),
      ),
    );
  const moofSize = moofFor(0).length;
  return Buffer.concat([moofFor(moofSize + 8), box('mdat', ...data)]);
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
