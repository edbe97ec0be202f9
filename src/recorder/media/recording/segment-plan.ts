/**
 * What the segment writer does with each frame: a pure function of where it is, so the rules
 * (segment boundaries, fragment cuts, gaps) are tested without files.
 */

export interface SegmentLimits {
  /** A segment rolls over at the first keyframe this long (90 kHz) after its start. */
  segment90k: number;
  /** A fragment is cut at a keyframe, or at the first frame this long after its start. */
  fragment90k: number;
  /** A longer step between frames (or one backwards) is a gap: the segment ends there. */
  maxGap90k: number;
}

export const DEFAULT_LIMITS: SegmentLimits = { segment90k: 60 * 90_000, fragment90k: 90_000, maxGap90k: 5 * 90_000 };

/** Where the writer is: undefined when no segment is open. */
export interface OpenSegmentState {
  segmentStartPts: number;
  fragmentStartPts: number;
  lastPts: number;
}

export interface IncomingFrame {
  pts90k: number;
  keyframe: boolean;
  /** A keyframe whose parameter sets differ from the open segment's (only keyframes are compared: a decoder can switch only there). */
  newParameters: boolean;
}

export type FrameDecision =
  /** No segment is open and this frame cannot start one: drop it. */
  | 'skip'
  /** Start a new segment at this keyframe, at the frame's own wall-clock time. */
  | 'start'
  /** Add the frame to the open fragment. */
  | 'append'
  /** Write the open fragment, then open a new one with this frame. */
  | 'new-fragment'
  /** End the segment and start the next at this keyframe, continuing its timeline without a gap. */
  | 'roll-over'
  /** End the segment where its last frame ends (a gap follows), then treat the frame as if none were open. */
  | 'break';

export function decideFrame(open: OpenSegmentState | undefined, frame: IncomingFrame, limits: SegmentLimits): FrameDecision {
  if (!open) return frame.keyframe ? 'start' : 'skip';
  const step = frame.pts90k - open.lastPts;
  if (step <= 0 || step > limits.maxGap90k) return 'break';
  if (frame.keyframe && (frame.newParameters || frame.pts90k - open.segmentStartPts >= limits.segment90k)) return 'roll-over';
  if (frame.keyframe || frame.pts90k - open.fragmentStartPts >= limits.fragment90k) return 'new-fragment';
  return 'append';
}
