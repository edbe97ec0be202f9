import { u32, u64 } from '../bytes.js';
import type { TrackConfig } from '../codec/track-config.js';
import { box, fullBox } from './box.js';
import type { SampleInfo } from './fragmented.js';
import { fileType, movieHeader, sampleEntry, videoTrack } from './movie.js';

/**
 * A standard MP4 (moov before mdat, so players can start before the download ends) for exports.
 * The samples are laid out in chunks, one per stored fragment, so that export copies each
 * fragment's mdat payload as it is.
 */

export interface Chunk {
  /** Which of the movie's tracks configurations (sample entries) the chunk's samples use. */
  configIndex: number;
  samples: SampleInfo[];
}

/**
 * Everything before the sample bytes: ftyp, moov and the mdat header. The caller writes the
 * chunks' bytes after it, in order.
 */
export function standardMp4Header(configs: readonly TrackConfig[], chunks: readonly Chunk[]): Buffer {
  const samples = chunks.flatMap((c) => c.samples);
  const payloadLength = samples.reduce((sum, s) => sum + s.size, 0);
  const duration = samples.reduce((sum, s) => sum + s.duration, 0);
  const ftyp = fileType('isom', ['isom', 'iso2', 'mp41']);
  const moovFor = (firstChunkOffset: number) => movie(configs, chunks, samples, duration, firstChunkOffset);
  // co64 has a fixed size, so the moov's length does not depend on the offsets it holds.
  const mdatHeaderLength = payloadLength + 8 > 0xffffffff ? 16 : 8;
  const headerLength = ftyp.length + moovFor(0).length + mdatHeaderLength;
  const mdatHeader =
    mdatHeaderLength === 16
      ? Buffer.concat([u32(1), Buffer.from('mdat'), u64(payloadLength + 16)])
      : Buffer.concat([u32(payloadLength + 8), Buffer.from('mdat')]);
  return Buffer.concat([ftyp, moovFor(headerLength), mdatHeader]);
}

function movie(configs: readonly TrackConfig[], chunks: readonly Chunk[], samples: SampleInfo[], duration: number, firstChunkOffset: number): Buffer {
  const chunkOffsets: number[] = [];
  let offset = firstChunkOffset;
  for (const chunk of chunks) {
    chunkOffsets.push(offset);
    offset += chunk.samples.reduce((sum, s) => sum + s.size, 0);
  }
  const sampleTable = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(configs.length), ...configs.map(sampleEntry)),
    timeToSample(samples),
    syncSamples(samples),
    sampleToChunk(chunks),
    fullBox('stsz', 0, 0, u32(0), u32(samples.length), ...samples.map((s) => u32(s.size))),
    fullBox('co64', 0, 0, u32(chunkOffsets.length), ...chunkOffsets.map(u64)),
  );
  // The track header's picture size is the first configuration's: a stream rarely changes it.
  const first = configs[0];
  if (!first) throw new Error('an MP4 needs at least one track configuration');
  return box('moov', movieHeader(duration), videoTrack(first, duration, sampleTable));
}

function timeToSample(samples: readonly SampleInfo[]): Buffer {
  const runs: { count: number; delta: number }[] = [];
  for (const s of samples) {
    const last = runs[runs.length - 1];
    if (last?.delta === s.duration) last.count++;
    else runs.push({ count: 1, delta: s.duration });
  }
  return fullBox('stts', 0, 0, u32(runs.length), ...runs.map((r) => Buffer.concat([u32(r.count), u32(r.delta)])));
}

function syncSamples(samples: readonly SampleInfo[]): Buffer {
  const numbers = samples.flatMap((s, i) => (s.keyframe ? [i + 1] : []));
  return fullBox('stss', 0, 0, u32(numbers.length), ...numbers.map(u32));
}

function sampleToChunk(chunks: readonly Chunk[]): Buffer {
  const runs: { firstChunk: number; samplesPerChunk: number; descriptionIndex: number }[] = [];
  chunks.forEach((c, i) => {
    const last = runs[runs.length - 1];
    if (last?.samplesPerChunk === c.samples.length && last.descriptionIndex === c.configIndex + 1) return;
    runs.push({ firstChunk: i + 1, samplesPerChunk: c.samples.length, descriptionIndex: c.configIndex + 1 });
  });
  return fullBox(
    'stsc',
    0,
    0,
    u32(runs.length),
    ...runs.map((r) => Buffer.concat([u32(r.firstChunk), u32(r.samplesPerChunk), u32(r.descriptionIndex)])),
  );
}
