// What a <video> in the page shows, for browser tests that check pictures move.
import type { Page } from 'playwright-core';

/** The video's current picture, drawn to a canvas: a digest of its pixels. */
export function pictureOf(page: Page, selector: string): Promise<string> {
  return page.evaluate((selector) => {
    const video = document.querySelector<HTMLVideoElement>(selector)!;
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 90;
    const context = canvas.getContext('2d')!;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png');
  }, selector);
}
