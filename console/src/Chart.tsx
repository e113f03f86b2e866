// Requests and error rate over time, drawn by uPlot on a canvas. The canvas says nothing to a
// screen reader: the container is one image whose accessible name carries the totals, and the page
// shows the same numbers as text beside it.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';

export interface Series {
  /** Bucket starts, in seconds since the epoch. */
  times: number[];
  requests: number[];
  /** Percent, 0-100. */
  errorRate: number[];
}

export function UsageChart({ series, label }: { series: Series; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const opts: uPlot.Options = {
      width: el.clientWidth || 320,
      height: 260,
      scales: { x: { time: true }, rate: { range: [0, 100] } },
      series: [
        {},
        { label: 'Requests', stroke: '#1d4ed8', fill: 'rgba(29, 78, 216, 0.12)', width: 2 },
        { label: 'Error rate (%)', stroke: '#b91c1c', width: 2, scale: 'rate', dash: [6, 4] },
      ],
      axes: [{}, { label: 'Requests' }, { side: 1, scale: 'rate', label: 'Error rate %', grid: { show: false } }],
      legend: { live: false },
    };
    const plot = new uPlot(opts, [series.times, series.requests, series.errorRate], el);
    // The width follows the page (1280 px down to a 390 px phone).
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series]);
  return <div class="chart" role="img" aria-label={label} ref={box} />;
}
