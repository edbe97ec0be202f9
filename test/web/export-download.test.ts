import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../src/recorder/http/routes/recorded-video.js';
import { fileNameOf } from '../../web/src/playback/export-download.js';

describe('the export file name the page shows and saves', () => {
  it('is the one the recorder gave, read from Content-Disposition', () => {
    const name = exportFileName('Front door', Date.UTC(2026, 11, 7, 22, 5, 9));
    expect(fileNameOf(`attachment; filename="${name}"`)).toBe('vigil-front-door-20261207-220509Z.mp4');
  });

  it('is missing when the header is', () => {
    expect(fileNameOf(null)).toBeNull();
    expect(fileNameOf('inline')).toBeNull();
  });
});
