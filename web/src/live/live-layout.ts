// The live grid's layouts and which cameras a page of it shows. Pure.

/** Tiles per screen: 1×1, 2×2, 3×3, 4×4. */
export const LAYOUTS = [1, 4, 9, 16] as const;
export type Layout = (typeof LAYOUTS)[number];

export const DEFAULT_LAYOUT: Layout = 4;

/** The layout a stored value names, or the default (a value from an older version, or edited by hand). */
export function layoutFrom(stored: string | null): Layout {
  const n = Number(stored);
  return LAYOUTS.find((layout) => layout === n) ?? DEFAULT_LAYOUT;
}

/** Columns and rows of a square layout. */
export function gridShape(layout: Layout): { columns: number; rows: number } {
  const side = Math.sqrt(layout);
  return { columns: side, rows: side };
}

/** How many screens the cameras fill at this layout (at least one, for "no cameras"). */
export function pageCount(cameraCount: number, layout: Layout): number {
  return Math.max(1, Math.ceil(cameraCount / layout));
}

/** The cameras on screen `page` (0-based; a page past the end, after cameras went away, shows the last). */
export function camerasOnPage<T>(cameras: readonly T[], layout: Layout, page: number): { page: number; cameras: T[] } {
  const last = pageCount(cameras.length, layout) - 1;
  const shown = Math.min(Math.max(0, page), last);
  return { page: shown, cameras: cameras.slice(shown * layout, (shown + 1) * layout) };
}
