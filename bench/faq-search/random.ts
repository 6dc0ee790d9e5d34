/** Seeded randomness for the generated knowledge base: the same seed gives the same articles. */

export type Random = () => number;

/** mulberry32: small, fast and good enough for test data; uniform in [0, 1). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed of its own per item, so an item does not depend on how many numbers the items before it drew. */
export const itemSeed = (seed: number, n: number): number => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(n, 0xc2b2ae35)) >>> 0;

/**
 * Zipf–Mandelbrot over ranks 0..n-1: rank r is drawn with weight 1 / (r + 1 + q)^s. With q = 0 the first
 * ranks dominate; a larger q flattens the head, as in real text, where the most common content word
 * occurs in about half the documents rather than in all of them.
 */
export function zipf(n: number, s: number, q = 0): (random: Random) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / Math.pow(r + 1 + q, s);
    cumulative[r] = total;
  }
  return (random) => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;

/** A whole number in [min, max]. */
export const between = (min: number, max: number, random: Random): number => min + Math.floor(random() * (max - min + 1));
