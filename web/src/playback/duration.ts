// A length of video in words. Pure.

/** 3_000 → "3 s", 95_000 → "1 min 35 s", 3_600_000 → "1 h". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h && `${h} h`, min && `${min} min`, (s || total === 0) && `${s} s`].filter(Boolean);
  return parts.join(' ');
}
