const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Powers of 1024 as the --footage-quota option reads them and as most systems show disks: 53687091200 → "50.0 GB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** 0.4 → "less than a day", 6.23 → "6.2 days", 61.7 → "62 days". */
export function formatDays(days: number): string {
  if (days < 1) return 'less than a day';
  if (days < 10) return `${days.toFixed(1)} days`;
  return `${Math.round(days).toLocaleString('en')} days`;
}
