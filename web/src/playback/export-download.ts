// An export, fetched with progress and then saved by the browser under the name the recorder gave it.
import { ApiError } from '../api.js';
import { saveFile } from '../save-file.js';

export interface ExportProgress {
  receivedBytes: number;
  /** From Content-Length; null before the recorder answers. */
  totalBytes: number | null;
}

/** `attachment; filename="vigil-x.mp4"` → `vigil-x.mp4` (the recorder's names are plain ASCII). */
export function fileNameOf(contentDisposition: string | null): string | null {
  return /filename="([^"]+)"/.exec(contentDisposition ?? '')?.[1] ?? null;
}

/** Fetches `url`, reporting progress; then hands the file to the browser's downloads. Resolves to the file's name. */
export async function downloadExport(url: string, onProgress: (progress: ExportProgress) => void, signal: AbortSignal): Promise<string> {
  onProgress({ receivedBytes: 0, totalBytes: null });
  const response = await fetch(url, { credentials: 'same-origin', signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ApiError(response.status, body.error?.code ?? 'export_failed', body.error?.message ?? `The recorder answered ${response.status}.`);
  }
  const totalBytes = Number(response.headers.get('content-length')) || null;
  const reader = response.body!.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let receivedBytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    receivedBytes += value.length;
    onProgress({ receivedBytes, totalBytes });
  }
  const name = fileNameOf(response.headers.get('content-disposition')) ?? 'vigil-export.mp4';
  saveFile(name, new Blob(chunks, { type: 'video/mp4' }));
  return name;
}
