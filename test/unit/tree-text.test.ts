import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { foldJournal, type JournalEvent } from '../../src/core/journal/index.js';
import { planRelease, type PlannedStep } from '../../src/core/plan.js';
import { buildRunbook } from '../../src/core/runbook/index.js';
import {
  failedStageLines,
  releaseTooltipMarkdown,
  stepDescription,
  stepTooltipMarkdown,
} from '../../src/vscode/tree-text.js';
import { causeOf } from '../../src/steps/upgrade/stages.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const VERSION = '2025.4.0';
const STAGE = 'staging.upgrade.stage.upload-dars';
const HOLDER = 'mallory\x1b[2K\r\x1b[32m✔ succeeded\x1b[0m\x1b]0;pwned\x07';
const ACTOR = 'Mallory <m@evil.example>\x1b]2;title\x1b\\';

const event = (type: JournalEvent['type'], message?: string, data?: JournalEvent['data']): JournalEvent => ({
  v: 1,
  time: '2025-11-10T10:00:00.000Z',
  actor: ACTOR,
  release: VERSION,
  type,
  step: STAGE,
  ...(message === undefined ? {} : { message }),
  ...(data === undefined ? {} : { data }),
});

function planned(events: JournalEvent[]): PlannedStep {
  const plan = planRelease(buildRunbook(VERSION, defaultConfig()), foldJournal(VERSION, events));
  const found = plan.find((p) => p.step.id === STAGE);
  assert.ok(found, STAGE);
  return found;
}

describe('Release tree text (labels, descriptions, tooltips from the journal)', () => {
  it('shows a progress line with escapes as one inert line', () => {
    const running = planned([
      event('step.started'),
      event('step.progress', `waiting for ${HOLDER}\nsecond line\u202eevil`),
    ]);
    const description = stepDescription(running, new Date('2025-11-10T10:01:00.000Z'));
    assert.doesNotMatch(description, CONTROL);
    assert.doesNotMatch(description, /\n/);
    assert.match(description, /^waiting for mallory␛␍✔ succeeded␛␤second lineevil · 1m/);
  });

  it('shows evidence (the key one) without escapes', () => {
    const done = planned([
      event('step.started'),
      event('step.succeeded', 'ok', { headline: `tag \x1b[1A\x1b[2K${HOLDER}` }),
    ]);
    const description = stepDescription(done, new Date('2025-11-10T10:01:00.000Z'));
    assert.doesNotMatch(description, CONTROL);
    assert.match(description, /tag ␛␛mallory␛/);
  });

  it("lists a failed stage's last log lines as inert single lines", () => {
    const lastLines = [
      'ok line',
      `ERROR \x1b[31mboom\x1b[0m\rfaked over`,
      `title \x1b]0;pwned\x07 set`,
      '\u009b2K erased',
    ];
    const failed = planned([event('step.started'), event('step.failed', 'stage failed', { lastLines })]);
    const lines = failedStageLines(failed);
    assert.deepEqual(lines, ['ok line', 'ERROR boom␍faked over', 'title ␛ set', '␛ erased']);
  });

  it("puts a failed stage's cause and the Job's condition first, and leaves the stack frames out", () => {
    const lastLines = [
      'INFO  LedgerConnection - Connected to participant1',
      'ERROR UpgradeRunner - Stage upgrade failed: io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 119.999s',
      '\tat com.lendos.upgrade.StageRunner.run(StageRunner.java:88)',
      '    at com.lendos.upgrade.Main.main(Main.java:41)',
      '[daml-upgrade-x-upgrade-g6dt6] \tat com.lendos.upgrade.Main.main(Main.java:41)',
    ];
    const cause = causeOf(lastLines);
    assert.equal(cause, 'Stage upgrade failed: io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 119.999s');
    const reason = 'Job has reached the specified backoff limit (BackoffLimitExceeded)';
    const failed = planned([event('step.started'), event('step.failed', 'stage failed', { lastLines, cause: cause ?? '', headline: cause ?? '', reason })]);
    assert.deepEqual(failedStageLines(failed), [`cause: ${cause}`, `Job: ${reason}`, 'INFO  LedgerConnection - Connected to participant1']);
    assert.match(stepDescription(failed, new Date('2025-11-10T10:01:00.000Z')), /DEADLINE_EXCEEDED/);
    assert.equal(causeOf(['INFO all fine', '\tat x.y(Z.java:1)']), undefined);
    assert.equal(causeOf(['java.lang.IllegalStateException: no coordinator', '\tat x.y(Z.java:1)']), 'java.lang.IllegalStateException: no coordinator');
  });

  it('escapes journal text in the step tooltip: no escapes, no links, no HTML, no icons', () => {
    const message = `${HOLDER} [run](command:lendos.runStep) <img src=x> $(zap)\n# heading`;
    const md = stepTooltipMarkdown(planned([event('step.started'), event('step.failed', message)]));
    assert.doesNotMatch(md, CONTROL);
    assert.doesNotMatch(md, /\]\(command:/);
    assert.doesNotMatch(md, /(^|[^\\])<(img|m@)/);
    assert.doesNotMatch(md, /(^|[^\\])\$\(zap/);
    assert.match(md, /Last change by Mallory \\<m\\@evil\\\.example\\>␛/);
    assert.match(
      md,
      /> mallory␛␍✔ succeeded␛ \\\[run\\\]\\\(command\\:lendos\\\.runStep\\\) \\<img src=x\\> \\\$\\\(zap\\\)\\\n> \\# heading\n$/,
    );
  });

  it('keeps the runbook text of the tooltip as Markdown', () => {
    const md = stepTooltipMarkdown(planned([]));
    assert.match(md, /^\*\*3\.\d+ upload-dars\*\* — _manual_\n\nStage 1 of 7\./);
    assert.match(md, /`run-upgrade\.sh --from <from> --to <to> staging --stage upload-dars`/);
    assert.match(md, /```bash\ncd \.\.\/lendos-eks-workloads/);
    assert.doesNotMatch(md, /Last change by/);
  });

  it('escapes who started the release in its tooltip', () => {
    const md = releaseTooltipMarkdown(VERSION, '2025-11-10T10:00:00.000Z', ACTOR);
    assert.doesNotMatch(md, CONTROL);
    assert.match(
      md,
      /^\*\*Release 2025\.4\.0\*\*\n\nStarted 2025\\-11\\-10 10\\:00 UTC by Mallory \\<m\\@evil\\\.example\\>␛$/,
    );
  });
});

describe('Release tree text: where a step runs', () => {
  const run = { id: 'r-6f1c2a9b', pid: 4242, host: 'ada-codespace', shell: 'cli', actor: 'Ada <ada@example.com>', since: '2025-11-10T10:00:00.000Z' };
  const now = new Date('2025-11-10T10:02:05.000Z');

  it('says where a step runs when another process runs it, and nothing more when this one does', () => {
    const elsewhere = planned([event('step.started', undefined, { run })]);
    assert.match(stepDescription(elsewhere, now, { pid: 99, host: 'ada-codespace' }), /^running in lendos CLI \(pid 4242\) on ada-codespace · 2m 05s/);
    assert.match(stepDescription(elsewhere, now, { pid: 4242, host: 'other-host' }), /^running in lendos CLI \(pid 4242\) on ada-codespace/);
    assert.match(stepDescription(elsewhere, now, { pid: 4242, host: 'ada-codespace' }), /^running · 2m 05s/);
    const withProgress = planned([event('step.started', undefined, { run }), event('step.progress', '3 pods left')]);
    assert.match(stepDescription(withProgress, now, { pid: 99, host: 'ada-codespace' }), /^3 pods left · running in lendos CLI \(pid 4242\) on ada-codespace/);
    const ended = planned([event('step.started', undefined, { run }), event('step.succeeded', 'done')]);
    assert.doesNotMatch(stepDescription(ended, now, { pid: 99, host: 'ada-codespace' }), /running in/);
  });
});
