// A reporter for Node's test runner (--test-reporter) that writes one JSON line per finished
// test or suite: what scripts/run-tests.ts needs for its closing summary (passed, failed,
// skipped with each reason), and that summary. The human-readable output is the spec
// reporter's.
import { relative } from 'node:path';

/** Lines of the summary given to skips and to failures before "… and N more". */
const MAX_LINES = 15;

/** One line of the reporter's output. */
export interface TestOutcome {
  outcome: 'pass' | 'fail' | 'skip' | 'todo' | 'cancelled';
  name: string;
  file?: string;
  suite: boolean;
  /** The skip or todo reason, or the failure's message. */
  reason?: string;
}

interface TestEventData {
  name: string;
  file?: string;
  skip?: string | boolean;
  todo?: string | boolean;
  details?: { type?: string; error?: { failureType?: string; message?: string; cause?: unknown } };
}

function reasonOf(flag: string | boolean | undefined): string | undefined {
  return typeof flag === 'string' && flag !== '' ? flag : undefined;
}

function outcomeOf(type: string, data: TestEventData): TestOutcome {
  const base = { name: data.name, file: data.file, suite: data.details?.type === 'suite' };
  if (type === 'test:fail') {
    const error = data.details?.error;
    const cancelled = error?.failureType === 'cancelledByParent';
    // The runner wraps what the test threw; the cause (an Error, or its serialised form from
    // the file's own process) says what went wrong.
    const cause = error?.cause;
    const message = typeof cause === 'string' ? cause : typeof (cause as { message?: unknown } | undefined)?.message === 'string' ? (cause as { message: string }).message : error?.message;
    return { ...base, outcome: cancelled ? 'cancelled' : 'fail', reason: message?.split('\n')[0] };
  }
  if (data.skip !== undefined && data.skip !== false) return { ...base, outcome: 'skip', reason: reasonOf(data.skip) };
  if (data.todo !== undefined && data.todo !== false) return { ...base, outcome: 'todo', reason: reasonOf(data.todo) };
  return { ...base, outcome: 'pass' };
}

export default async function* summaryReporter(source: AsyncIterable<{ type: string; data: unknown }>): AsyncGenerator<string> {
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') yield `${JSON.stringify(outcomeOf(event.type, event.data as TestEventData))}\n`;
  }
}

function shortFile(file: string | undefined, root: string): string {
  return file === undefined ? '?' : relative(root, file);
}

function limited(lines: string[]): string[] {
  return lines.length <= MAX_LINES ? lines : [...lines.slice(0, MAX_LINES - 1), `  … and ${lines.length - MAX_LINES + 1} more`];
}

/** The closing summary; the last line is "N passed, N failed, N skipped". */
export function summarize(outcomes: TestOutcome[], root: string): string[] {
  // Counted as Node counts: tests, not suites; but a skipped suite hides its tests from
  // Node's counts, so it is counted here once, as a skip.
  const counted = outcomes.filter((o) => !o.suite || o.outcome === 'skip');
  const count = (outcome: TestOutcome['outcome']) => counted.filter((o) => o.outcome === outcome).length;
  const passed = count('pass') + count('todo');
  const cancelled = count('cancelled');
  const failed = count('fail') + cancelled;
  const skipped = count('skip');

  const skipReasons = new Map<string, { tests: number; suites: number; files: Set<string> }>();
  for (const skip of counted.filter((o) => o.outcome === 'skip')) {
    const reason = skip.reason ?? '(no reason given)';
    const entry = skipReasons.get(reason) ?? { tests: 0, suites: 0, files: new Set<string>() };
    if (skip.suite) entry.suites++;
    else entry.tests++;
    entry.files.add(shortFile(skip.file, root));
    skipReasons.set(reason, entry);
  }
  const lines = ['', '── summary ──'];
  if (skipReasons.size > 0) {
    lines.push('skipped:');
    const skipLines = [...skipReasons].map(([reason, { tests, suites, files }]) => {
      const what = [tests > 0 ? `${tests} test${tests === 1 ? '' : 's'}` : '', suites > 0 ? `${suites} suite${suites === 1 ? '' : 's'}` : ''].filter(Boolean).join(' + ');
      return `  ${what}: ${reason} [${[...files].join(', ')}]`;
    });
    lines.push(...limited(skipLines));
  }
  const failures = counted.filter((o) => o.outcome === 'fail' || o.outcome === 'cancelled');
  if (failures.length > 0) {
    lines.push(`failed${cancelled > 0 ? ` (${cancelled} of them cancelled)` : ''}:`);
    lines.push(...limited(failures.map((f) => `  ${shortFile(f.file, root)}: ${f.name}${f.outcome === 'cancelled' ? ' (cancelled)' : f.reason ? ` — ${f.reason.split('\n')[0].slice(0, 120)}` : ''}`)));
  }
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return lines;
}
