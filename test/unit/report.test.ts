import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { foldJournal, type JournalEvent } from '../../src/core/journal/index.js';
import { planRelease } from '../../src/core/plan.js';
import { reportJson, reportMarkdown, type ReportInput } from '../../src/core/report.js';
import { buildRunbook } from '../../src/core/runbook/index.js';

const VERSION = '2025.4.0';
const ADA = 'Ada Release <ada@example.com>';
const MALLORY = 'Mallory <m@evil.example>\x1b]0;pwned\x07';

const at = (minute: number) => new Date(Date.UTC(2025, 10, 10, 9, minute)).toISOString();
const event = (minute: number, type: JournalEvent['type'], step?: string, message?: string, data?: JournalEvent['data'], actor = ADA): JournalEvent => ({
  v: 1,
  time: at(minute),
  actor,
  release: VERSION,
  type,
  ...(step ? { step } : {}),
  ...(message ? { message } : {}),
  ...(data ? { data } : {}),
});

function input(events: JournalEvent[]): ReportInput {
  const runbook = buildRunbook(VERSION, defaultConfig());
  return { version: VERSION, phases: runbook.phases, plan: planRelease(runbook, foldJournal(VERSION, events)), events };
}

const EVENTS: JournalEvent[] = [
  event(0, 'release.started'),
  event(1, 'step.started', 'prep.cut-release-branch'),
  event(2, 'step.succeeded', 'prep.cut-release-branch', 'Cut release/2025.4.0', { branch: 'release/2025.4.0', commit: 'a'.repeat(40) }),
  event(3, 'step.started', 'prep.bump-version'),
  event(4, 'step.failed', 'prep.bump-version', 'push refused | [click](command:x) <img>\nsecond line', undefined, MALLORY),
  event(5, 'step.started', 'prep.bump-version'),
  event(7, 'step.succeeded', 'prep.bump-version', 'VERSION bumped', { branch: 'release/2025.4.0', commit: 'b'.repeat(40) }),
  event(90, 'step.marked-done', 'recovery.fix-forward', 'not needed', { note: 'Luis asked' }),
];

describe('the release report (journal → Markdown and JSON)', () => {
  it('lists each phase with who did what, when, how long, runs and key evidence; optional steps only when touched', () => {
    const md = reportMarkdown(input(EVENTS));
    assert.match(md, /^# Release 2025\.4\.0\n\nStarted 2025-11-10 09:00 UTC by Ada Release; 2 of \d+ steps done; 1h 30m from the first event to the last\./);
    assert.match(md, /\| 1\.1 \| Cut release branch \| succeeded \| Ada Release \| 2025-11-10 09:01 \| 1m \| release/);
    assert.match(md, /\| 1\.2 \| Update VERSION file \| succeeded \(2 runs\) \| Ada Release \| 2025-11-10 09:05 \| 2m \| release/);
    assert.match(md, /Fix forward \| succeeded \| Ada Release \(by hand\)/);
    assert.doesNotMatch(md, /Data validation fails/, 'an optional step nobody touched is left out');
    assert.match(md, /## Failures and reruns\n\n- 2025-11-10 09:04 — Update VERSION file: push refused \\\| \\\[click\\\]\\\(command\\:x\\\) \\<img\\> \(Mallory␛\)/);
  });

  it('never lets outside text become escapes, links or HTML', () => {
    const md = reportMarkdown(input(EVENTS));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(md, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.doesNotMatch(md, /[^\\]\]\(command:/);
    assert.doesNotMatch(md, /[^\\]<img/);
  });

  it('gives the same in JSON for tools: steps with durations and attempts, failures with their first line', () => {
    const json = reportJson(input(EVENTS));
    const bump = json.steps.find((s) => s.id === 'prep.bump-version');
    assert.deepEqual({ status: bump?.status, attempts: bump?.attempts, durationMs: bump?.durationMs }, { status: 'succeeded', attempts: 2, durationMs: 120_000 });
    assert.deepEqual(json.failures.map((f) => [f.step, f.message]), [['prep.bump-version', 'push refused | [click](command:x) <img>']]);
    assert.equal(json.startedBy, ADA);
  });
});
