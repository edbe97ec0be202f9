import { u32, u8 } from '../bytes.js';

/** An ISO BMFF box: 32-bit size, four-character type, payload. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
}

/** A box whose payload starts with a version byte and 24 bits of flags. */
export function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  return box(type, u8(version), Buffer.from([(flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff]), ...payload);
}

export interface BoxHeader {
  type: string;
  /** Where the box starts. */
  offset: number;
  /** The whole box, header included. */
  size: number;
  headerSize: number;
}

/** The header of the box at `offset`, or undefined when fewer than its header's bytes are there. */
export function readBoxHeader(data: Buffer, offset: number): BoxHeader | undefined {
  if (offset + 8 > data.length) return undefined;
  const size32 = data.readUInt32BE(offset);
  const type = data.toString('latin1', offset + 4, offset + 8);
  if (size32 === 1) {
    if (offset + 16 > data.length) return undefined;
    return { type, offset, size: Number(data.readBigUInt64BE(offset + 8)), headerSize: 16 };
  }
  // Size 0 ("to the end of the file") is never written by Vigil; treat the box as running to the end.
  return { type, offset, size: size32 === 0 ? data.length - offset : size32, headerSize: 8 };
}

/** The boxes directly inside `data[start, end)`, stopping at the first that does not fit. */
export function childBoxes(data: Buffer, start = 0, end = data.length): BoxHeader[] {
  const boxes: BoxHeader[] = [];
  let offset = start;
  for (;;) {
    const header = readBoxHeader(data, offset);
    if (!header || header.size < header.headerSize || offset + header.size > end) return boxes;
    boxes.push(header);
    offset += header.size;
  }
}

/** The payload of the first box found along `path` of nested container boxes. */
export function findBox(data: Buffer, path: readonly string[]): Buffer | undefined {
  let scope = data;
  for (const type of path) {
    const found = childBoxes(scope).find((b) => b.type === type);
    if (!found) return undefined;
    scope = scope.subarray(found.offset + found.headerSize, found.offset + found.size);
  }
  return scope;
}
