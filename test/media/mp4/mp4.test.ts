import { describe, expect, it } from 'vitest';
import type { TrackConfig } from '../../../src/media/codec/track-config.js';
import { box, childBoxes, findBox, fullBox, readBoxHeader } from '../../../src/media/mp4/box.js';
import { fragment, fragmentPieces, initSegment, initSegmentLength, parseMoof, withBaseMediaDecodeTime } from '../../../src/media/mp4/fragmented.js';
import { standardMp4Header } from '../../../src/media/mp4/standard.js';

// A decoder configuration is opaque to the box layer: these bytes only need to round-trip.
const track: TrackConfig = {
  codec: 'h264',
  width: 320,
  height: 240,
  codecString: 'avc1.64000d',
  sampleEntryType: 'avc1',
  configBoxType: 'avcC',
  decoderConfig: Buffer.from([1, 0x64, 0, 0x0d, 0xff, 0xe0, 0]),
};

describe('boxes', () => {
  it('size, type, payload; full boxes add version and flags', () => {
    expect([...box('abcd', Buffer.from([9]))]).toEqual([0, 0, 0, 9, 97, 98, 99, 100, 9]);
    expect([...fullBox('efgh', 1, 0x020001).subarray(8)]).toEqual([1, 2, 0, 1]);
  });

  it('reads headers back, nested boxes along a path, and stops at a box that runs past the end', () => {
    const data = Buffer.concat([box('moov', box('trak', box('tkhd', Buffer.from('x')))), box('free')]);
    expect(childBoxes(data).map((b) => b.type)).toEqual(['moov', 'free']);
    expect(findBox(data, ['moov', 'trak', 'tkhd'])?.toString()).toBe('x');
    expect(childBoxes(data.subarray(0, data.length - 1)).map((b) => b.type)).toEqual(['moov']);
    expect(readBoxHeader(Buffer.alloc(7), 0)).toBeUndefined();
  });
});

describe('fragmented MP4', () => {
  it('an init segment is ftyp + moov with mvex, its length readable from its start', () => {
    const init = initSegment(track);
    expect(childBoxes(init).map((b) => b.type)).toEqual(['ftyp', 'moov']);
    expect(findBox(init, ['moov', 'mvex', 'trex'])).toBeDefined();
    expect(initSegmentLength(init)).toBe(init.length);
    expect(initSegmentLength(init.subarray(0, init.length - 1))).toBeUndefined();
  });

  it('a fragment reads back: times, sizes, sync flags, and a data offset pointing at the length-prefixed samples', () => {
    const sps = Buffer.from([0x67, 0x42, 0x00, 0x1f]);
    const samples = [
      { duration: 3600, keyframe: true, nalus: [sps, Buffer.from([0x65, 0xaa, 0xbb]), Buffer.from([0x65, 0xcc])] },
      { duration: 3000, keyframe: false, nalus: [Buffer.from([0x41, 0x01])] },
    ];
    const bytes = fragment('h264', 5, 900_000, samples);
    const [moof, mdat] = childBoxes(bytes);
    const parsed = parseMoof(bytes.subarray(0, moof!.size));
    // The SPS is left out: parameter sets travel in the init segment.
    expect(parsed).toEqual({
      baseMediaDecodeTime: 900_000,
      samples: [
        { duration: 3600, size: 4 + 3 + 4 + 2, keyframe: true },
        { duration: 3000, size: 4 + 2, keyframe: false },
      ],
      dataOffset: moof!.size + 8,
    });
    expect(mdat).toMatchObject({ type: 'mdat', size: 8 + 13 + 6 });
    expect(bytes.length).toBe(moof!.size + mdat!.size);
    expect(bytes.subarray(parsed.dataOffset).toString('hex')).toBe('0000000365aabb' + '0000000265cc' + '000000024101');
    const moved = withBaseMediaDecodeTime(bytes.subarray(0, moof!.size), 2 ** 33);
    expect(parseMoof(moved).baseMediaDecodeTime).toBe(2 ** 33);
    expect(parseMoof(bytes.subarray(0, moof!.size)).baseMediaDecodeTime).toBe(900_000); // a copy
  });

  it('the pieces of a fragment are views of one header buffer between the NAL units, and add up to the fragment', () => {
    const nal = Buffer.from([0x41, 0x09, 0x08]);
    const { pieces, length } = fragmentPieces('h264', 1, 0, [{ duration: 3000, keyframe: false, nalus: [nal, nal] }]);
    expect(pieces).toHaveLength(4);
    expect(pieces[1]).toBe(nal); // not copied
    expect(pieces[0]!.buffer).toBe(pieces[2]!.buffer);
    expect(Buffer.concat(pieces).length).toBe(length);
    expect(Buffer.concat(pieces).equals(fragment('h264', 1, 0, [{ duration: 3000, keyframe: false, nalus: [nal, nal] }]))).toBe(true);
    // No frames: the boxes alone (moof without trun entries, empty mdat).
    expect(fragmentPieces('h264', 1, 0, []).pieces.map((p) => p.length)).toEqual([88 + 8]);
  });
});

describe('standard MP4 header', () => {
  it('ftyp, moov, then the mdat header sized for the samples; chunk offsets point past it', () => {
    const chunks = [
      { configIndex: 0, samples: [{ duration: 3600, size: 10, keyframe: true }, { duration: 3600, size: 5, keyframe: false }] },
      { configIndex: 0, samples: [{ duration: 3600, size: 7, keyframe: true }, { duration: 3600, size: 1, keyframe: false }] },
    ];
    const header = standardMp4Header([track], chunks);
    const boxes = childBoxes(header);
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov']);
    const mdat = readBoxHeader(header, boxes[1]!.offset + boxes[1]!.size)!;
    expect(mdat).toMatchObject({ type: 'mdat', size: 8 + 23 });
    const stbl = findBox(header, ['moov', 'trak', 'mdia', 'minf', 'stbl'])!;
    const co64 = findBox(stbl, ['co64'])!;
    expect(Number(co64.readBigUInt64BE(8))).toBe(header.length);
    expect(Number(co64.readBigUInt64BE(16))).toBe(header.length + 15);
    const stss = findBox(stbl, ['stss'])!;
    expect([stss.readUInt32BE(4), stss.readUInt32BE(8), stss.readUInt32BE(12)]).toEqual([2, 1, 3]);
    const stsc = findBox(stbl, ['stsc'])!;
    expect(stsc.readUInt32BE(4)).toBe(1); // one run: both chunks hold two samples of entry 1
    const mdhd = findBox(header, ['moov', 'trak', 'mdia', 'mdhd'])!;
    expect(Number(mdhd.readBigUInt64BE(24))).toBe(4 * 3600);
  });
});
