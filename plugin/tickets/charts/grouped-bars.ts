import { countAxis, round, SERIES_COLOURS, type Shape, type SvgChart } from './svg-chart.js';

const LEFT = 48;
const RIGHT = 28;
const TOP = 44;
const BOTTOM = 34;
const FONT = 14;
/** A generous width of one character of the legend's text, to space its entries. */
const CHAR_WIDTH = 9.6;

export interface Series {
  label: string;
  values: readonly number[];
}

/**
 * Side-by-side bars per category (tickets and deflections per day) with a count axis, a legend above
 * and every `labelEvery`-th category named below (and the last one).
 */
export function groupedBars(input: { id: string; title: string; desc: string; categories: readonly string[]; series: readonly Series[]; labelEvery?: number; width?: number; height?: number }): SvgChart {
  const width = input.width ?? 880;
  const height = input.height ?? 320;
  const every = input.labelEvery ?? 5;
  const plotWidth = width - LEFT - RIGHT;
  const plotHeight = height - TOP - BOTTOM;
  const bottom = TOP + plotHeight;
  const max = Math.max(0, ...input.series.flatMap((s) => s.values));
  const axis = countAxis(max);
  const shapes: Shape[] = [];

  for (let tick = 0; tick <= axis.top; tick += axis.step) {
    const y = round(bottom - (tick / axis.top) * plotHeight);
    shapes.push({ kind: 'line', x1: LEFT, y1: y, x2: width - RIGHT, y2: y, opacity: tick === 0 ? 1 : 0.25 });
    shapes.push({ kind: 'text', x: LEFT - 6, y: round(y + 5), text: String(tick), anchor: 'end', size: FONT });
  }

  const slot = plotWidth / Math.max(1, input.categories.length);
  const barWidth = (slot * 0.8) / Math.max(1, input.series.length);
  input.categories.forEach((category, c) => {
    const start = LEFT + c * slot + slot * 0.1;
    input.series.forEach((series, s) => {
      const value = series.values[c] ?? 0;
      if (value <= 0) return;
      const h = (value / axis.top) * plotHeight;
      shapes.push({ kind: 'rect', x: round(start + s * barWidth), y: round(bottom - h), width: round(barWidth), height: round(h), fill: SERIES_COLOURS[s % SERIES_COLOURS.length] ?? SERIES_COLOURS[0] });
    });
    if (c % every === 0 || c === input.categories.length - 1) {
      shapes.push({ kind: 'text', x: round(LEFT + c * slot + slot / 2), y: bottom + 22, text: category, anchor: 'middle', size: FONT });
    }
  });

  let x = LEFT;
  input.series.forEach((series, s) => {
    shapes.push({ kind: 'rect', x, y: 10, width: 14, height: 14, fill: SERIES_COLOURS[s % SERIES_COLOURS.length] ?? SERIES_COLOURS[0] });
    shapes.push({ kind: 'text', x: x + 20, y: 22.5, text: series.label, anchor: 'start', size: FONT + 1 });
    x += 20 + [...series.label].length * CHAR_WIDTH + 28;
  });

  return { id: input.id, width, height, title: input.title, desc: input.desc, shapes };
}
