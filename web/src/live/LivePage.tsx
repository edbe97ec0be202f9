import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { api, type Camera } from '../api.js';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { Page } from '../../shared/Page.js';
import { useLoaded } from '../security/useLoaded.js';
import { notSharedFor } from '../cameras/camera-list-notes.js';
import { FullscreenButton } from './FullscreenButton.js';
import { camerasOnPage, gridShape, LAYOUTS, layoutFrom, pageCount, type Layout } from './live-layout.js';
import { LiveTile } from './LiveTile.js';
import { useFillHeight } from './useFillHeight.js';
import '../video-controls.css';
import './live.css';

/** The layout chosen last, kept in this browser. */
const LAYOUT_KEY = 'vigil.live.layout';

function useRememberedLayout(): [Layout, (layout: Layout) => void] {
  const [layout, setLayout] = useState<Layout>(() => layoutFrom(localStorage.getItem(LAYOUT_KEY)));
  const choose = useCallback((next: Layout) => {
    localStorage.setItem(LAYOUT_KEY, String(next));
    setLayout(next);
  }, []);
  return [layout, choose];
}

/** Every camera I may watch, live: a grid of 1, 4, 9 or 16, or one camera opened large. */
export function LivePage() {
  const load = useCallback(async () => {
    const list = await api.cameraList();
    return { cameras: list.cameras.filter((c) => c.permissions.includes('live') && c.enabled), notShared: notSharedFor(list, 'live', 'live view') };
  }, []);
  const { value: loaded, error } = useLoaded(load);
  const cameras = loaded?.cameras ?? null;
  return (
    <Page title="Live">
      <ErrorAlert error={error} />
      {cameras === null ? (
        !error && <p aria-busy="true">Loading…</p>
      ) : cameras.length === 0 ? (
        <p className="muted" data-testid="live-empty">
          {loaded?.notShared ?? 'No cameras to watch.'}
        </p>
      ) : (
        <LiveView cameras={cameras} />
      )}
    </Page>
  );
}

function LiveView({ cameras }: { cameras: readonly Camera[] }) {
  const [layout, setLayout] = useRememberedLayout();
  const [requestedPage, setPage] = useState(0);
  const [openedId, setOpenedId] = useState<number | null>(null);
  /** The toolbar and the grid: fullscreen takes both, so its controls stay at hand. */
  const root = useRef<HTMLDivElement>(null);
  const view = useRef<HTMLDivElement>(null);
  useFillHeight(view);
  const opened = cameras.find((c) => c.id === openedId);
  const { page, cameras: shown } = camerasOnPage(cameras, layout, requestedPage);
  const pages = pageCount(cameras.length, layout);
  const { columns, rows } = opened ? { columns: 1, rows: 1 } : gridShape(layout);

  useEffect(() => {
    if (!opened) return;
    const back = (event: KeyboardEvent) => event.key === 'Escape' && !document.fullscreenElement && setOpenedId(null);
    window.addEventListener('keydown', back);
    return () => window.removeEventListener('keydown', back);
  }, [opened]);

  return (
    <div className="live-view" ref={root}>
      <div className="live-toolbar">
        {opened ? (
          <button type="button" onClick={() => setOpenedId(null)}>
            ← Back to the grid
          </button>
        ) : (
          <>
            <div role="group" aria-label="Layout" className="segmented">
              {LAYOUTS.map((n) => (
                <button key={n} type="button" aria-pressed={n === layout} onClick={() => setLayout(n)} aria-label={n === 1 ? 'One camera' : `${n} cameras`} title={`${n} per screen`}>
                  {n === 1 ? '1' : `${Math.sqrt(n)}×${Math.sqrt(n)}`}
                </button>
              ))}
            </div>
            {pages > 1 && (
              <div className="live-pages" role="group" aria-label="Screens">
                <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} aria-label="Previous cameras">
                  ‹
                </button>
                <span>
                  {page * layout + 1}–{page * layout + shown.length} of {cameras.length}
                </span>
                <button type="button" disabled={page === pages - 1} onClick={() => setPage(page + 1)} aria-label="Next cameras">
                  ›
                </button>
              </div>
            )}
          </>
        )}
        <FullscreenButton target={root} label={opened ? opened.name : 'all cameras'} />
      </div>
      <div ref={view} className="live-grid" data-layout={opened ? 'opened' : layout} style={{ '--columns': columns, '--rows': rows } as CSSProperties}>
        {opened ? (
          <LiveTile key={opened.id} camera={opened} />
        ) : (
          shown.map((camera) => <LiveTile key={camera.id} camera={camera} onOpen={() => setOpenedId(camera.id)} />)
        )}
      </div>
    </div>
  );
}
