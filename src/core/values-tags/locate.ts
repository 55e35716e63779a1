/**
 * Where the image tags of a values-tags file are: each `image:` mapping holding a `tag:` scalar, named by the keys
 * above it (`lendos-portal: backend: image: tag:` → `lendos-portal-backend`), with the tag's exact source range and its
 * sibling `repository:`. Parsing only reads: nothing here rewrites the document.
 */
import { isMap, isPair, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';

export type Quote = 'plain' | 'single' | 'double';

export interface TagSite {
  /** `lendos-portal-backend`: the keys above `image`, joined by `-`. */
  readonly service: string;
  /** The keys from the top to the tag, e.g. `['lendos-portal', 'backend', 'image', 'tag']`. */
  readonly path: readonly string[];
  readonly tag: string;
  /** The sibling `repository:` value, when there is one. */
  readonly repository?: string;
  /** Offsets of the tag's source text (quotes included, comment excluded) in the file's text. */
  readonly start: number;
  readonly end: number;
  /** 1-based line and column of the tag's start. */
  readonly line: number;
  readonly column: number;
  readonly quote: Quote;
}

export interface YamlProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface LocatedTags {
  readonly sites: readonly TagSite[];
  /** Parser errors (malformed YAML, duplicate keys) with their line and column; with any, nothing may be edited. */
  readonly problems: readonly YamlProblem[];
}

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const QUOTES: Record<string, Quote> = { QUOTE_SINGLE: 'single', QUOTE_DOUBLE: 'double' };

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number') ? String(pair.key.value) : undefined;
}

function scalarText(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key, true);
  return isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number') ? String(value.value) : undefined;
}

function siteOf(text: string, image: YAMLMap, path: readonly string[]): TagSite | undefined {
  const tag = image.get('tag', true);
  if (!isScalar(tag) || !tag.range || (typeof tag.value !== 'string' && typeof tag.value !== 'number')) return undefined;
  const [start, end] = tag.range;
  const repository = scalarText(image, 'repository');
  return {
    service: path.slice(0, -1).join('-'),
    path: [...path, 'tag'],
    tag: String(tag.value),
    ...(repository ? { repository } : {}),
    start,
    end,
    ...positionOf(text, start),
    quote: QUOTES[String(tag.type)] ?? 'plain',
  };
}

function walk(text: string, node: unknown, path: readonly string[], into: TagSite[]): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = keyOf(pair);
    if (key === undefined) continue;
    if (key === 'image' && isMap(pair.value)) {
      const site = siteOf(text, pair.value, [...path, key]);
      if (site) into.push(site);
      continue;
    }
    walk(text, pair.value, [...path, key], into);
  }
}

export function parseValuesTags(text: string): Document {
  // Ranges and quoting come with every node: the source tokens (a quarter of the parse's time) are not needed.
  return parseDocument(text, { uniqueKeys: true, prettyErrors: false });
}

export function locateTags(text: string): LocatedTags {
  const document = parseValuesTags(text);
  const problems = document.errors.map((error) => {
    const at = positionOf(text, error.pos[0]);
    return { message: error.message.split('\n')[0] ?? error.message, ...at };
  });
  const sites: TagSite[] = [];
  walk(text, document.contents, [], sites);
  return { sites, problems };
}
