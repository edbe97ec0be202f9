/** Sizes as people write them: `500M`, `50G`, `2T` (powers of 1024, as `df -h` shows them) or bytes. Pure. */
export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  if (!match) throw new Error('expected a size such as 500M, 50G or 2T');
  const power = ['', 'K', 'M', 'G', 'T'].indexOf(match[2]!.toUpperCase());
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  if (bytes < 1) throw new Error('expected a size above 0');
  return bytes;
}

const GIB = 1024 ** 3;

export interface DiskSpace {
  /** Bytes the recorder may still write on the footage's filesystem. */
  freeBytes: number;
  /** The filesystem's size. */
  totalBytes: number;
}

/**
 * How much footage the disk can hold while keeping a reserve free: what the footage takes now plus
 * what is free, less 5% of the disk (at least 1 GiB). A full disk would stop the database and the
 * audit log as well as recording, so this applies even when no quota is configured. Pure.
 */
export function diskBudgetBytes(footageBytes: number, disk: DiskSpace): number {
  const reserve = Math.max(GIB, disk.totalBytes * 0.05);
  return Math.max(0, Math.floor(footageBytes + disk.freeBytes - reserve));
}

/** What footage may take: the configured quota or the disk's budget, whichever is smaller. Pure. */
export function footageLimitBytes(quotaBytes: number | undefined, footageBytes: number, disk: DiskSpace): number {
  return Math.min(quotaBytes ?? Infinity, diskBudgetBytes(footageBytes, disk));
}
