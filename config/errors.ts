/**
 * Configuration problems. Each renders as `WHERE: KEY: what is wrong (allowed: …)`, WHERE
 * being `FILE:LINE`, `environment` or `command line`, so the operator can go straight to it.
 * Problems are collected, not thrown one at a time: a config with three mistakes says so once.
 */
export interface Problem {
  where: string;
  /** The key as the operator wrote it (INI key, environment variable, flag); '' for syntax errors. */
  key: string;
  message: string;
}

/** Longest piece of the operator's text quoted back in a message. */
const QUOTE_MAX = 100;
/** Longest message printed: a bound even for text quoted without quoteText. */
const MESSAGE_MAX = 400;

/** Control bytes (and DEL) as \xNN, so a quoted line cannot move the terminal's cursor. */
function escapeControls(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The operator's text, quoted for a message: control bytes escaped, at most ~100 characters. */
export function quoteText(text: string): string {
  const shown = text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…' (${text.length} characters)` : `${text}'`;
  return `'${escapeControls(shown)}`;
}

export function formatProblem(problem: Problem): string {
  let message = escapeControls(problem.message);
  if (message.length > MESSAGE_MAX) message = `${message.slice(0, MESSAGE_MAX)}… (${message.length} characters)`;
  const key = problem.key.length > QUOTE_MAX ? quoteText(problem.key) : escapeControls(problem.key);
  return key === '' ? `${problem.where}: ${message}` : `${problem.where}: ${key}: ${message}`;
}

/** File problems in line order, then environment, then command line. */
function placeOrder(problem: Problem): [number, string, number] {
  const line = /^(.*):(\d+)$/.exec(problem.where);
  if (line) return [0, line[1] as string, Number(line[2])];
  return [problem.where === 'environment' ? 1 : 2, problem.where, 0];
}

/** Code-unit order: deterministic, and no ICU collator (megabytes) for a few file names. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => {
    const [ga, fa, la] = placeOrder(a);
    const [gb, fb, lb] = placeOrder(b);
    return ga - gb || byCodeUnit(fa, fb) || la - lb;
  });
}

export class ConfigError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join('\n'));
    this.problems = sorted;
    this.name = 'ConfigError';
  }
}

/** Levenshtein distance, for "did you mean". Inputs are short keys. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest candidate within a third of the word's length (at least 2 edits), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean X?)` or ` (allowed: a, b, c)`. */
export function hint(word: string, candidates: readonly string[], render: (c: string) => string = (c) => c): string {
  const near = closest(word, candidates);
  return near !== undefined ? ` (did you mean ${render(near)}?)` : ` (allowed: ${candidates.map(render).join(', ')})`;
}
