import { ConfigProblem } from './config-problem';

/**
 * Problems in the order their keys appear in the file (a missing key where its parent is), so
 * that the report reads top to bottom like the file.
 */
export function inDocumentOrder(problems: readonly ConfigProblem[], document: unknown): ConfigProblem[] {
  const positions = new Map<string, number>();
  const walk = (node: unknown, keyPath: string) => {
    positions.set(keyPath, positions.size);
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, joinPath(keyPath, index)));
    } else if (node !== null && typeof node === 'object') {
      Object.entries(node).forEach(([key, child]) => walk(child, joinPath(keyPath, key)));
    }
  };
  walk(document, '');
  const positionOf = (keyPath: string): number => {
    for (let prefix = keyPath; ; prefix = prefix.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
      const position = positions.get(prefix);
      if (position !== undefined) {
        return position;
      }
      if (prefix === '') {
        return 0;
      }
    }
  };
  return problems
    .map((problem, index) => ({ problem, index, position: positionOf(problem.path) }))
    .sort((a, b) => a.position - b.position || a.index - b.index)
    .map(({ problem }) => problem);
}

/** `a.b`, `a[0]`, or `b` at the root. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  return parent === '' ? key : `${parent}.${key}`;
}

/** How a value is shown in messages: strings quoted, long values cut. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  const json = JSON.stringify(value);
  if (json === undefined) {
    return String(value);
  }
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** `a map`, `a list`, `a string` ...: a value's kind in YAML words. */
export function describeKind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a map';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'an integer' : 'a number';
  }
  return `a ${typeof value}`;
}

/**
 * The candidate closest to `word` by edit distance, if it is close enough to be a likely typo
 * (case differences count as half an edit).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = Math.min(editDistance(word, candidate), editDistance(word.toLowerCase(), candidate.toLowerCase()) + 0.5);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor(Math.max(word.length, 4) / 3));
  return best !== undefined && bestDistance <= tolerance ? best : undefined;
}

/** Edit distance where a swap of two neighbouring letters is one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) {
    rows[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}
