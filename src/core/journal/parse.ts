import { JOURNAL_EVENT_TYPES, JOURNAL_VERSION, type JournalEvent, type JournalWarning } from './types.js';
import { isRecord } from '../config/validate.js';

const TYPES = new Set<string>(JOURNAL_EVENT_TYPES);

/** What the reader expects of every line: the release whose file it is. */
export interface JournalExpectation {
  /** The version the journal's file is named for; lines of another release are refused. */
  readonly release?: string;
}

/** Checks one decoded line; returns a reason when it is not a journal event. */
function problemOf(value: unknown): string | null {
  if (!isRecord(value)) return 'not a JSON object';
  if (typeof value.time !== 'string' || Number.isNaN(Date.parse(value.time))) return 'missing or invalid "time"';
  if (typeof value.type !== 'string' || !TYPES.has(value.type)) return `unknown event type ${JSON.stringify(value.type)}`;
  if (typeof value.release !== 'string') return 'missing "release"';
  if (typeof value.actor !== 'string') return 'missing "actor"';
  if (value.step !== undefined && typeof value.step !== 'string') return '"step" is not a string';
  if (value.data !== undefined && !isRecord(value.data)) return '"data" is not an object';
  return null;
}

/**
 * Why an event cannot be folded into this journal: a schema version this reader does not know (a line without `v`
 * predates the field and is version 1), or another release's event (a journal copied to another version's file).
 */
function refusalOf(line: number, value: Record<string, unknown>, expected: JournalExpectation): string | null {
  const v = value.v ?? 1;
  if (v !== JOURNAL_VERSION) {
    return `line ${line} has journal schema version ${JSON.stringify(v)}, but this LendOS Release reads version ${JOURNAL_VERSION}; it was ignored (was it written by a newer LendOS Release? update the extension and the CLI to read it)`;
  }
  if (expected.release !== undefined && value.release !== expected.release) {
    return `line ${line} is for release ${String(value.release)}, not ${expected.release}: was this journal copied from another release's file? it was ignored`;
  }
  return null;
}

/** Every line read, but no `release.started` among the events: the release's start is not recorded. */
function notStartedWarning(release: string, events: readonly JournalEvent[]): JournalWarning | null {
  if (events.some((e) => e.type === 'release.started')) return null;
  const what = events.length === 0 ? 'is empty' : 'does not record that the release was started';
  return {
    message: `the journal of ${release} ${what} (no "release.started" event): start the release again (lendos start ${release}, or LendOS: Start Release… in VS Code) to record it, or restore the journal's file from a backup`,
  };
}

/**
 * Reads a journal's text. A torn last line (a crash mid-write), garbage lines, lines of an unknown schema version and
 * lines of another release are reported as warnings and skipped; they never make the journal unreadable. With
 * `expected.release`, a journal that records no start of that release is reported too.
 */
export function parseJournal(text: string, expected: JournalExpectation = {}): { events: JournalEvent[]; warnings: JournalWarning[] } {
  const events: JournalEvent[] = [];
  const warnings: JournalWarning[] = [];
  const lines = text.split('\n');
  const lastIndex = text.endsWith('\n') ? lines.length - 2 : lines.length - 1;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const torn = index === lastIndex && !text.endsWith('\n');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.push({
        line: index + 1,
        message: torn
          ? `line ${index + 1} is incomplete (the last write was interrupted); it was ignored`
          : `line ${index + 1} is not valid JSON; it was ignored`,
      });
      return;
    }
    const problem = problemOf(value);
    if (problem) {
      warnings.push({ line: index + 1, message: `line ${index + 1}: ${problem}; it was ignored` });
      return;
    }
    const refusal = refusalOf(index + 1, value as Record<string, unknown>, expected);
    if (refusal) warnings.push({ line: index + 1, message: refusal });
    else events.push({ v: JOURNAL_VERSION, ...(value as Omit<JournalEvent, 'v'>) });
  });
  const notStarted = expected.release !== undefined ? notStartedWarning(expected.release, events) : null;
  if (notStarted) warnings.push(notStarted);
  return { events, warnings };
}

/** One event as exactly one line, ready for a single append. */
export function formatEvent(event: JournalEvent): string {
  return JSON.stringify(event) + '\n';
}
