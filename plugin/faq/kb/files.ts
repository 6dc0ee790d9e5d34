import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArticleFile, parseCategoriesFile, formatArticleFile, formatCategoriesFile, type KbArticle, type KbCategory, type Parsed } from './format.js';

export const CATEGORIES_FILE = 'categories.yaml';
const MAX_FILE_BYTES = 200_000;

export interface KbFile {
  /** Path relative to the kb directory, for reports. */
  file: string;
  parsed: Parsed<KbArticle>;
}

export interface KbDirectory {
  categories: Parsed<KbCategory[]> | null;
  articles: KbFile[];
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !e.name.startsWith('.') && e.name.toLowerCase() !== 'readme.md')
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Reads categories.yaml (if there) and every markdown file below `dir`; parsing problems are per file. */
export async function readKbDirectory(dir: string): Promise<KbDirectory> {
  let categories: Parsed<KbCategory[]> | null = null;
  try {
    categories = parseCategoriesFile(await readFile(join(dir, CATEGORIES_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const articles: KbFile[] = [];
  for (const path of await markdownFiles(dir)) {
    const file = relative(dir, path);
    const text = await readFile(path, 'utf8');
    articles.push({ file, parsed: Buffer.byteLength(text) > MAX_FILE_BYTES ? { ok: false, reason: `larger than ${MAX_FILE_BYTES} bytes` } : parseArticleFile(text) });
  }
  return { categories, articles };
}

/** `<category>/<slug>.<language>.md`, as the shipped kb/ is laid out. */
export const articlePath = (a: Pick<KbArticle, 'category' | 'slug' | 'language'>): string => join(a.category, `${a.slug}.${a.language}.md`);

export async function writeKbDirectory(dir: string, categories: readonly KbCategory[], articles: readonly KbArticle[], onWritten?: () => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, CATEGORIES_FILE), formatCategoriesFile(categories));
  for (const article of articles) {
    const path = join(dir, articlePath(article));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, formatArticleFile(article));
    onWritten?.();
  }
}
