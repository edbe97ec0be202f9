import { useEffect, type RefObject } from 'react';

/** Space kept under the element (the page's bottom margin). */
const BOTTOM_GAP_PX = 16;
/** A grid is never squeezed below this: on a short window the page scrolls instead. */
const MIN_HEIGHT_PX = 240;

/**
 * Sets `--fill-height` on the element: from where it starts to the bottom of the window, so a
 * grid of video fills the screen below the menu whatever the window's size. The CSS decides where
 * to use it (not on a phone, whose tiles stack at their own height).
 */
export function useFillHeight(element: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const fit = () => {
      const top = target.getBoundingClientRect().top + window.scrollY;
      target.style.setProperty('--fill-height', `${Math.max(MIN_HEIGHT_PX, window.innerHeight - top - BOTTOM_GAP_PX)}px`);
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [element]);
}
