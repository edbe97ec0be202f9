import { u16, u32, u64 } from '../bytes.js';
import type { TrackConfig } from '../codec/track-config.js';
import { box, fullBox } from './box.js';

/**
 * The parts of a moov box that fragmented and standard MP4 files share. One video track (id 1),
 * media and movie on the 90 kHz clock of RTP video so that camera timestamps pass unchanged.
 */

export const TIMESCALE = 90_000;
export const TRACK_ID = 1;

const IDENTITY_MATRIX = Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));

/** ftyp: the brands a reader needs to know to read the file. */
export function fileType(majorBrand: string, compatibleBrands: readonly string[]): Buffer {
  return box('ftyp', Buffer.from(majorBrand, 'latin1'), u32(0), Buffer.from(compatibleBrands.join(''), 'latin1'));
}

export function movieHeader(duration: number): Buffer {
  return fullBox(
    'mvhd',
    1,
    0,
    u64(0), // creation_time: 0 keeps init segments byte-identical for identical parameters
    u64(0),
    u32(TIMESCALE),
    u64(duration),
    u32(0x00010000), // rate 1.0
    u16(0x0100), // volume 1.0
    Buffer.alloc(10),
    IDENTITY_MATRIX,
    Buffer.alloc(24),
    u32(TRACK_ID + 1),
  );
}

export function videoTrack(track: TrackConfig, duration: number, sampleTable: Buffer): Buffer {
  const trackHeader = fullBox(
    'tkhd',
    1,
    0x3, // enabled, in movie
    u64(0),
    u64(0),
    u32(TRACK_ID),
    u32(0),
    u64(duration),
    Buffer.alloc(8),
    u16(0), // layer
    u16(0), // alternate group
    u16(0), // volume: video
    u16(0),
    IDENTITY_MATRIX,
    u32(track.width * 0x10000), // 16.16 fixed point
    u32(track.height * 0x10000),
  );
  const mediaHeader = fullBox('mdhd', 1, 0, u64(0), u64(0), u32(TIMESCALE), u64(duration), u16(0x55c4 /* und */), u16(0));
  const handler = fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('VideoHandler\0'));
  const dataInformation = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const mediaInformation = box('minf', fullBox('vmhd', 0, 1, Buffer.alloc(8)), dataInformation, sampleTable);
  return box('trak', trackHeader, box('mdia', mediaHeader, handler, mediaInformation));
}

/** The stsd box: one visual sample entry (avc1/hvc1) with its decoder configuration. */
export function sampleDescription(track: TrackConfig): Buffer {
  return fullBox('stsd', 0, 0, u32(1), sampleEntry(track));
}

export function sampleEntry(track: TrackConfig): Buffer {
  return box(
    track.sampleEntryType,
    Buffer.alloc(6),
    u16(1), // data_reference_index
    Buffer.alloc(16),
    u16(track.width),
    u16(track.height),
    u32(0x00480000), // 72 dpi
    u32(0x00480000),
    u32(0),
    u16(1), // frame_count
    Buffer.alloc(32), // compressorname
    u16(0x0018), // depth
    u16(0xffff), // pre_defined -1
    box(track.configBoxType, track.decoderConfig),
  );
}
