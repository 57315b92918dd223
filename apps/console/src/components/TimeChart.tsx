import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  stroke: string;
  values: (number | null)[];
}

const HEIGHT = 220;

/**
 * A time-series chart drawn by uPlot (canvas), times in UTC like the rest of the console. The
 * figure's caption names it; uPlot's legend is a table of the values under the cursor.
 */
export function TimeChart(props: { title: string; unit: string; times: number[]; series: ChartSeries[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 300),
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        series: [
          { label: 'UTC' },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 2,
            spanGaps: false,
            // a bucket alone between empty ones is drawn as a point (a line needs two)
            points: { show: true, size: 5, filter: isolated },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : `${round(v)} ${props.unit}`),
          })),
        ],
        axes: [{}, { label: props.unit, size: 60 }],
        scales: { x: { time: true } },
      },
      [props.times.map((ms) => ms / 1000), ...props.series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 300), height: HEIGHT }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.unit]);

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={`${props.title}, chart`} />
    </figure>
  );
}

/** Indices of values with no neighbour to draw a line to. */
function isolated(u: uPlot, seriesIdx: number): number[] {
  const values = u.data[seriesIdx] ?? [];
  const alone: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && v !== undefined && values[i - 1] == null && values[i + 1] == null) alone.push(i);
  });
  return alone;
}

const round = (v: number) => (Number.isInteger(v) ? v : Number(v.toPrecision(3)));
