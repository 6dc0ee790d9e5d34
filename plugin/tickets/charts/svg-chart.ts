/**
 * Charts as plain data: shapes with coordinates, drawn by one EJS loop that escapes every value (no
 * markup is built as a string, so nothing here can inject into the page). Text and axes use
 * `currentColor` and follow the page's light or dark scheme; the bar colours keep at least 3:1 against
 * both of Pico's backgrounds (white and its dark #13171f), as WCAG 1.4.11 asks of graphics.
 */
export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; opacity: number }
  | { kind: 'text'; x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end'; size: number };

export interface SvgChart {
  /** Unique on the page; the title's and description's ids derive from it. */
  id: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  shapes: Shape[];
}

/** Blue and orange: told apart with the common colour-vision deficiencies, 4.1:1 or more on both backgrounds. */
export const SERIES_COLOURS = ['#2b83ba', '#c8511b'] as const;

/** Coordinates to one decimal: shorter markup, no visible difference. */
export const round = (n: number): number => Math.round(n * 10) / 10;

/** A label cut to `max` characters with an ellipsis; the data table beside the chart has it whole. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A round top for a count axis (1, 2 or 5 times a power of ten per step) and its step; at least 1. */
export function countAxis(max: number, steps = 4): { top: number; step: number } {
  if (max <= steps) return { top: Math.max(steps, 1), step: 1 };
  const raw = max / steps;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw);
  return { top: Math.ceil(max / step) * step, step };
}
