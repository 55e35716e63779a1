import { JOURNAL_EVENT_TYPES, type JournalEvent, type JournalWarning } from './types.js';
import { isRecord } from '../config/validate.js';

const TYPES = new Set<string>(JOURNAL_EVENT_TYPES);

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
 * Reads a journal's text. A torn last line (a crash mid-write) and garbage lines are reported as warnings and
 * skipped; they never make the journal unreadable.
 */
export function parseJournal(text: string): { events: JournalEvent[]; warnings: JournalWarning[] } {
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
    if (problem) warnings.push({ line: index + 1, message: `line ${index + 1}: ${problem}; it was ignored` });
    else events.push(value as JournalEvent);
  });
  return { events, warnings };
}

/** One event as exactly one line, ready for a single append. */
export function formatEvent(event: JournalEvent): string {
  return JSON.stringify(event) + '\n';
}
