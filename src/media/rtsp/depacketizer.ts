/**
 * Turns RTP payloads of one H.264 or H.265 stream into AccessUnits (one per frame). Pure: packets in,
 * frames out through a callback, no I/O and no clock of its own.
 *
 * A frame ends at the RTP marker bit or, for cameras that forget it, when the timestamp changes.
 * Parameter sets or SEI that come without a picture (some cameras send them with a timestamp or
 * marker bit of their own) are carried over to the next frame, so that every frame has a picture.
 * A frame that lost packets is dropped, and so is every frame after it until the next keyframe:
 * decoding them would only smear the damage.
 */
import type { AccessUnit, ParameterSets } from '../types.js';
import type { NalSyntax, ParameterSetName } from './nal-syntax.js';

const MAX_NALUS_WITHOUT_PICTURE = 64;
const EMPTY = Buffer.alloc(0);

export interface DepacketizerPacket {
  /** The RTP payload is data[start, end): the received bytes themselves, not a copy or a view. */
  data: Buffer;
  start: number;
  end: number;
  marker: boolean;
  /** The unwrapped RTP timestamp. */
  pts90k: number;
  /** Packets missing just before this one (from the sequence numbers). */
  lost: number;
}

export class Depacketizer {
  readonly #syntax: NalSyntax;
  readonly #emit: (frame: AccessUnit) => void;
  #parameterSets: Partial<Record<ParameterSetName, Buffer>>;
  /** What parameterSets() answers; null when a parameter set changed since it was made. */
  #current: ParameterSets | undefined | null = null;

  // The frame being assembled; #pts is that of its latest packets (undefined between frames).
  #nalus: Buffer[] = [];
  #pts: number | undefined;
  #keyframe = false;
  #hasPicture = false;
  #damaged = false;
  // The fragmented NAL unit being assembled: its header, and where its pieces (without their FU
  // headers) lie in the received bytes, as ranges rather than views: one object fewer per packet.
  #fragmentHeader: number | undefined;
  readonly #pieceSources: Buffer[] = [];
  readonly #pieceStarts: number[] = [];
  readonly #pieceEnds: number[] = [];
  /** Pieces in use: the arrays keep their length between NAL units, so they are not reallocated. */
  #pieces = 0;
  #fragmentBytes = 0;

  /** Frames are only worth passing on from a keyframe: at the start, and after a damaged frame. */
  #waitingForKeyframe = true;
  #waitingAfterDamage = false;
  /** Frames dropped because packets were lost (and those after them up to the next keyframe). */
  framesDropped = 0;

  constructor(syntax: NalSyntax, initialParameterSets: Partial<Record<ParameterSetName, Buffer>>, emit: (frame: AccessUnit) => void) {
    this.#syntax = syntax;
    this.#parameterSets = { ...initialParameterSets };
    this.#emit = emit;
  }

  /** The same object until a parameter set changes: asked for at every frame by every sink. */
  parameterSets(): ParameterSets | undefined {
    if (this.#current !== null) return this.#current;
    const { vps, sps, pps } = this.#parameterSets;
    if (!sps || !pps) this.#current = undefined;
    else if (this.#syntax.codec === 'h265') this.#current = vps ? { codec: 'h265', vps, sps, pps } : undefined;
    else this.#current = { codec: 'h264', sps, pps };
    return this.#current;
  }

  /** Takes the next packet in sequence order; keeps its bytes (views of them), not the packet object. */
  push(packet: DepacketizerPacket, receivedAt: number): void {
    if (packet.lost > 0 && this.#pts !== undefined) this.#damaged = true;
    if (this.#pts !== undefined && packet.pts90k !== this.#pts) this.#finishFrame(receivedAt);
    if (this.#pts === undefined) {
      this.#pts = packet.pts90k;
      // The lost packets may have been the start of this frame as well as the end of the last one.
      this.#damaged = packet.lost > 0;
    }
    this.#unpack(packet.data, packet.start, packet.end);
    if (packet.marker) this.#finishFrame(receivedAt);
  }

  #unpack(data: Buffer, start: number, end: number): void {
    const syntax = this.#syntax;
    if (end - start <= syntax.headerLength) {
      this.#damaged = true;
      return;
    }
    const type = syntax.type(data, start);
    if (type !== syntax.fragmentation) this.#completeFragments();
    if (syntax.isSingleNal(type)) {
      this.#addNal(data.subarray(start, end));
    } else if (type === syntax.aggregation) {
      let offset = start + syntax.headerLength;
      while (offset + 2 <= end) {
        const size = data.readUInt16BE(offset);
        offset += 2;
        if (size === 0 || offset + size > end) {
          this.#damaged = true;
          return;
        }
        this.#addNal(data.subarray(offset, offset + size));
        offset += size;
      }
    } else if (type === syntax.fragmentation) {
      this.#unpackFragment(data, start, end);
    }
    // Other types (STAP-B, MTAP, FU-B, PACI) are not used in the packetization modes cameras
    // offer; skipping them is what RFC 6184 and 7798 ask of receivers that do not support them.
  }

  #unpackFragment(data: Buffer, start: number, end: number): void {
    const syntax = this.#syntax;
    const fuHeader = data[start + syntax.headerLength]!;
    if (fuHeader & 0x80) {
      this.#completeFragments();
      this.#fragmentHeader = syntax.fragmentedNalHeader(data, fuHeader & syntax.fragmentTypeMask, start);
    } else if (this.#fragmentHeader === undefined) {
      this.#damaged = true; // its start was lost
      return;
    }
    const pieceStart = start + syntax.headerLength + 1;
    const piece = this.#pieces++;
    this.#pieceSources[piece] = data;
    this.#pieceStarts[piece] = pieceStart;
    this.#pieceEnds[piece] = end;
    this.#fragmentBytes += end - pieceStart;
    if (fuHeader & 0x40) this.#completeFragments();
  }

  /**
   * Ends the fragmented NAL unit being assembled, if any. Normally at its end bit; but some servers
   * (LIVE555 among them) leave the end bit off the last fragment and set only the marker bit, or
   * go straight on to the next NAL unit. Lost fragments are caught by sequence numbers, not here.
   */
  #completeFragments(): void {
    const header = this.#fragmentHeader;
    if (header === undefined) return;
    const headerLength = this.#syntax.headerLength;
    // The one copy per fragmented NAL unit: header and pieces into a buffer of the right size.
    const nal = Buffer.allocUnsafe(headerLength + this.#fragmentBytes);
    nal.writeUIntBE(header, 0, headerLength);
    let offset = headerLength;
    const sources = this.#pieceSources;
    for (let i = 0; i < this.#pieces; i++) {
      offset += sources[i]!.copy(nal, offset, this.#pieceStarts[i], this.#pieceEnds[i]);
      sources[i] = EMPTY; // the received bytes are not kept alive by a finished NAL unit
    }
    this.#fragmentHeader = undefined;
    this.#pieces = 0;
    this.#fragmentBytes = 0;
    this.#addNal(nal);
  }

  #addNal(nal: Buffer): void {
    const type = this.#syntax.type(nal);
    if (this.#syntax.isPicture(type)) this.#hasPicture = true;
    if (this.#syntax.isKeyframe(type)) this.#keyframe = true;
    const name = this.#syntax.parameterSet(type);
    if (name !== undefined && !this.#parameterSets[name]?.equals(nal)) {
      // Copied so that keeping it does not keep the whole received chunk alive.
      this.#parameterSets[name] = Buffer.from(nal);
      this.#current = null;
    }
    this.#nalus.push(nal);
  }

  #finishFrame(receivedAt: number): void {
    this.#completeFragments();
    const pts = this.#pts!;
    const damaged = this.#damaged;
    this.#pts = undefined;
    this.#damaged = false;
    if (damaged) {
      this.#nalus = [];
      this.#keyframe = this.#hasPicture = false;
      this.framesDropped++;
      this.#waitingForKeyframe = this.#waitingAfterDamage = true;
      return;
    }
    if (!this.#hasPicture) {
      // No picture yet: keep the NAL units (parameter sets, SEI) for the frame they belong to,
      // unless a broken stream sends nothing else.
      if (this.#nalus.length > MAX_NALUS_WITHOUT_PICTURE) this.#nalus = [];
      return;
    }
    const frame: AccessUnit = { codec: this.#syntax.codec, nalus: this.#nalus, pts90k: pts, keyframe: this.#keyframe, receivedAt };
    this.#nalus = [];
    this.#keyframe = this.#hasPicture = false;
    if (this.#waitingForKeyframe && !frame.keyframe) {
      // Before the first keyframe there is simply nothing to decode yet; that is not a loss.
      if (this.#waitingAfterDamage) this.framesDropped++;
      return;
    }
    this.#waitingForKeyframe = this.#waitingAfterDamage = false;
    this.#emit(frame);
  }
}
