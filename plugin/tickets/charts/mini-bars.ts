import { round, SERIES_COLOURS, type Shape } from './svg-chart.js';

export interface MiniBars {
  width: number;
  height: number;
  shapes: Shape[];
}

/**
 * Two thin bars for one table row, scaled to the largest value in the table. Decoration only: the
 * numbers stand in their own cells, so the drawing is hidden from assistive technology.
 */
export function miniBars(values: readonly number[], max: number, width = 120): MiniBars {
  const bar = 7;
  const gap = 2;
  const shapes: Shape[] = values.flatMap((value, i): Shape[] =>
    value > 0 ? [{ kind: 'rect', x: 0, y: i * (bar + gap), width: round(Math.max(2, (value / Math.max(1, max)) * width)), height: bar, fill: SERIES_COLOURS[i % SERIES_COLOURS.length] ?? SERIES_COLOURS[0] }] : [],
  );
  return { width, height: values.length * (bar + gap) - gap, shapes };
}
