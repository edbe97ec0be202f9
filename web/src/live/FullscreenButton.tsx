import { useEffect, useState, type RefObject } from 'react';
import { EnterFullscreenIcon, ExitFullscreenIcon } from './icons.js';

/** Puts `target` in fullscreen (the Fullscreen API), or takes it out; hidden where the browser has no fullscreen. */
export function FullscreenButton({ target, label }: { target: RefObject<HTMLElement | null>; label: string }) {
  const [isFull, setIsFull] = useState(false);
  useEffect(() => {
    const follow = () => setIsFull(document.fullscreenElement !== null && document.fullscreenElement === target.current);
    document.addEventListener('fullscreenchange', follow);
    return () => document.removeEventListener('fullscreenchange', follow);
  }, [target]);
  if (!document.fullscreenEnabled) return null;
  const toggle = () => {
    if (isFull) void document.exitFullscreen();
    else void target.current?.requestFullscreen().catch(() => undefined); // refused (no user gesture, iframe): stays as it is
  };
  return (
    <button type="button" className="icon-button" onClick={toggle} aria-label={isFull ? `Exit fullscreen (${label})` : `Fullscreen: ${label}`} title={isFull ? 'Exit fullscreen' : 'Fullscreen'}>
      {isFull ? <ExitFullscreenIcon /> : <EnterFullscreenIcon />}
    </button>
  );
}
