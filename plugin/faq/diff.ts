import { diffLines, diffWordsWithSpace } from 'diff';
import type { ArticleVersion } from './schema.js';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface FieldDiff {
  field: 'title' | 'summary' | 'keywords' | 'category' | 'visibility' | 'body';
  parts: DiffPart[];
}

const partsOf = (changes: { added?: boolean; removed?: boolean; value: string }[]): DiffPart[] =>
  changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));

/** The fields that differ between two versions: short ones word by word, the body line by line. */
export function lineDiff(from: ArticleVersion, to: ArticleVersion): FieldDiff[] {
  const short = { title: [from.title, to.title], summary: [from.summary, to.summary], keywords: [from.keywords.join(', '), to.keywords.join(', ')], category: [from.category, to.category], visibility: [from.visibility, to.visibility] } as const;
  const changes: FieldDiff[] = [];
  for (const [field, [a, b]] of Object.entries(short) as [FieldDiff['field'], readonly [string, string]][]) {
    if (a !== b) changes.push({ field, parts: partsOf(diffWordsWithSpace(a, b)) });
  }
  if (from.bodyMd !== to.bodyMd) changes.push({ field: 'body', parts: partsOf(diffLines(from.bodyMd, to.bodyMd)) });
  return changes;
}
