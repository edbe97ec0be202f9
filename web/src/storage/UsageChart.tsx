// Loaded only by the storage page (React.lazy): uPlot and its styles stay out of every other page's weight.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes } from '../format.js';
import type { UsageSeries } from './usage-series.js';

/** Distinct at a glance and at least 3:1 against the card's white, for lines. */
const COLOURS = ['#1f5fbf', '#c2410c', '#047857', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#be185d'];
const HEIGHT = 260;
const DAY_SECONDS = 86_400;
/** A day, a week, four weeks: uPlot picks the smallest that leaves room between the labels. */
const DAY_INCREMENTS = [DAY_SECONDS, 7 * DAY_SECONDS, 28 * DAY_SECONDS];
const formatDay = (seconds: number) => new Date(seconds * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });

/** Footage recorded per day, one line per camera, as wide as its card. */
export default function UsageChart({ series }: { series: UsageSeries }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: element.clientWidth,
      height: HEIGHT,
      series: [
        { label: 'Day', value: (_: uPlot, seconds: number | null) => (seconds === null ? '–' : formatDay(seconds)) },
        ...series.cameras.map((camera, i) => ({
          label: camera.label,
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          points: { show: true, size: 6 },
          value: (_: uPlot, bytes: number | null) => (bytes === null ? '–' : formatBytes(bytes)),
        })),
      ],
      axes: [
        // A mark a day, never hours: each point is a whole day's footage.
        { space: 50, incrs: DAY_INCREMENTS, values: (_, splits) => splits.map(formatDay) },
        { size: 70, values: (_, splits) => splits.map((bytes) => formatBytes(bytes)) },
      ],
      scales: { x: { time: true }, y: { range: (_, __, max) => [0, Math.max(max, 1) * 1.1] } },
      legend: { live: true },
    };
    const chart = new uPlot(options, [series.days, ...series.cameras.map((camera) => camera.bytes)], element);
    // The card narrows with the window (a phone turned, a sidebar opened): the chart follows it.
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series]);
  return <div ref={box} className="usage-chart" data-testid="usage-chart" />;
}
