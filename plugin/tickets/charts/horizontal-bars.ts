import { round, SERIES_COLOURS, shorten, type Shape, type SvgChart } from './svg-chart.js';

const ROW = 32;
const BAR = 20;
const TOP = 8;
const VALUE_SPACE = 64;
const LABEL_CHARS = 30;
/** A generous width of one character of the labels' text (wide fonts such as DejaVu Sans), to size their column. */
const CHAR_WIDTH = 9.6;
const FONT = 15;

/** One bar per row, label on the left and the value after the bar (queues and their open tickets). */
export function horizontalBars(input: { id: string; title: string; desc: string; rows: readonly { label: string; value: number }[]; width?: number }): SvgChart {
  const width = input.width ?? 880;
  const labels = input.rows.map((r) => shorten(r.label, LABEL_CHARS));
  const labelWidth = Math.min(300, Math.max(100, Math.max(0, ...labels.map((l) => [...l].length)) * CHAR_WIDTH + 12));
  const plot = width - labelWidth - VALUE_SPACE;
  const max = Math.max(1, ...input.rows.map((r) => r.value));
  const height = TOP * 2 + input.rows.length * ROW;
  const shapes: Shape[] = [];
  input.rows.forEach((row, i) => {
    const y = TOP + i * ROW + (ROW - BAR) / 2;
    const barWidth = row.value > 0 ? Math.max(2, (row.value / max) * plot) : 0;
    shapes.push({ kind: 'text', x: labelWidth - 8, y: round(y + BAR / 2 + 5), text: labels[i] ?? '', anchor: 'end', size: FONT });
    if (barWidth > 0) shapes.push({ kind: 'rect', x: labelWidth, y: round(y), width: round(barWidth), height: BAR, fill: SERIES_COLOURS[0] });
    shapes.push({ kind: 'text', x: round(labelWidth + barWidth + 6), y: round(y + BAR / 2 + 5), text: String(row.value), anchor: 'start', size: FONT });
  });
  shapes.push({ kind: 'line', x1: labelWidth, y1: TOP / 2, x2: labelWidth, y2: height - TOP / 2, opacity: 1 });
  return { id: input.id, width, height, title: input.title, desc: input.desc, shapes };
}
