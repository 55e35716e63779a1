/**
 * A whole release from the terminal: `lendos start`, `done`, `skip`, `reset`, `plan` and `status` through `main()`
 * and the built CLI, on a real git repository; `--set` checked against the step's form before anything runs; and
 * journal lines that must not be folded (unknown schema version, another release's lines, an empty journal) reported.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture, ensureBuiltCli, runBuiltCli } from './cli-helpers.js';
import { lendosRepo, type TempRepo } from './helpers.js';

const V = '2025.4.0';

/** One journal line as another tool, an older or newer LendOS, or a copy might have written it. */
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    v: 1,
    time: '2025-11-10T10:00:00.000Z',
    actor: 'Bo <bo@example.com>',
    release: V,
    ...fields,
  }) + '\n';

interface StatusRow {
  id: string;
  environment: string | null;
  status: string;
  message: string | null;
  actor: string | null;
}

describe('lendos: a whole release from the terminal', () => {
  let repo: TempRepo;
  const journal = () => path.join(repo.root, '.lendos', 'runs', `${V}.jsonl`);
  const lendos = async (...args: string[]) => {
    const io = capture();
    const code = await main([...args, '--workspace', repo.root], io);
    return { code, out: io.out.join('\n'), err: io.err.join('\n') };
  };
  const status = async (): Promise<StatusRow[]> => {
    const result = await lendos('status', '--json');
    assert.equal(result.code, 0, result.err);
    return (JSON.parse(result.out) as { steps: StatusRow[] }).steps;
  };
  const row = async (id: string) => (await status()).find((s) => s.id === id);

  before(ensureBuiltCli);
  beforeEach(() => (repo = lendosRepo()));
  afterEach(() => repo.cleanup());

  it('start: refuses a bad version writing nothing, starts once printing the journal, then says how to continue', async () => {
    const bad = await lendos('start', 'v2025.4.0');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /leading v/i);
    assert.equal(existsSync(path.join(repo.root, '.lendos')), false, 'nothing was written');
    assert.equal((await lendos('start')).code, 2, 'the version is required');

    const started = await lendos('start', V);
    assert.equal(started.code, 0, started.err);
    assert.match(started.out, /Started release 2025\.4\.0; it is now the active release/);
    assert.ok(started.out.includes(`Journal: ${journal()}`));
    assert.equal(readFileSync(path.join(repo.root, '.lendos/runs/active'), 'utf8').trim(), V);

    const before = readFileSync(journal());
    const again = await lendos('start', V);
    assert.equal(again.code, 1);
    assert.match(
      again.err,
      /Release 2025\.4\.0 was already started on .* by Ada Release <ada@example\.com>; it is not started again/,
    );
    assert.match(again.err, /Continue it: lendos status shows where it stands/);
    assert.deepEqual(readFileSync(journal()), before, 'the journal is unchanged');
  });

  it('plan: steps with an executor are automated, without a started release when --release is given', async () => {
    const json = await lendos('plan', '--release', V, '--json');
    assert.equal(json.code, 0, json.err);
    const kinds = new Map(
      (JSON.parse(json.out) as { id: string; kind: string }[]).map((s) => [s.id, s.kind]),
    );
    for (const id of [
      'prep.cut-release-branch',
      'prep.upgrade-images',
      'staging.upgrade.scale-down',
      'production.upgrade.stage.upload-dars',
      'staging.preflight',
      'staging.merge-to-main',
    ]) {
      assert.equal(kinds.get(id), 'automated', id);
    }
    assert.equal(kinds.get('recovery.data-validation'), 'manual');
    assert.equal(kinds.get('staging.smoke-approval'), 'approval');
    const text = await lendos('plan', '--release', V);
    assert.match(text.out, /1\.1 +Cut release branch {2}\[prep\.cut-release-branch\] \(automated\)/);
    assert.equal(existsSync(path.join(repo.root, '.lendos')), false, 'plan writes nothing');
  });

  it('done: approvals need a note, automated steps are run not marked, dependencies need --force; prints what was recorded', async () => {
    assert.match(
      (await lendos('done', 'staging.preflight')).err,
      /No release is active .*lendos start YYYY\.R\.H/,
    );
    const notStarted = await lendos('done', 'staging.preflight', '--release', V);
    assert.match(notStarted.err, /no release 2025\.4\.0 .*lendos start 2025\.4\.0/);
    await lendos('start', V);
    const before = readFileSync(journal());
    const noNote = await lendos('done', 'staging.smoke-approval', '--force');
    assert.equal(noNote.code, 2);
    assert.match(noNote.err, /is an approval: say who approved and where it is recorded.*--note/);
    const blank = await lendos('done', 'staging.smoke-approval', '--force', '--note', '  ');
    assert.equal(blank.code, 2);
    const automated = await lendos('done', 'prep.cut-release-branch');
    assert.equal(automated.code, 1);
    assert.match(automated.err, /is automated: run it \(lendos run prep\.cut-release-branch/);
    const blocked = await lendos('done', 'staging.smoke-approval', '--note', 'Luis, REL-123');
    assert.equal(blocked.code, 1);
    assert.match(blocked.err, /depends on steps that are not done: \S+.*pass --force/);
    assert.deepEqual(readFileSync(journal()), before, 'nothing was recorded');

    const approved = await lendos('done', 'staging.smoke-approval', '--force', '--note', 'Luis, REL-123');
    assert.equal(approved.code, 0, approved.err);
    assert.match(
      approved.out,
      /^Marked done: 2\.5 Product smoke testing and approval \[staging\.smoke-approval\], by Ada Release <ada@example\.com> \(release 2025\.4\.0; now succeeded\)/,
    );
    assert.match(approved.out, /note: Luis, REL-123/);
    assert.ok(approved.out.includes(`Recorded in ${journal()}`));
    const recorded = await row('staging.smoke-approval');
    assert.deepEqual(
      [recorded?.status, recorded?.message, recorded?.environment],
      ['succeeded', 'Luis, REL-123', 'staging'],
    );
    assert.equal(
      (await lendos('done', 'prep.cut-release-branch', '--force')).code,
      0,
      'an automated step done by hand',
    );
    assert.match((await lendos('done', 'prep.cut-release-branch', '--force')).err, /already done/);
    assert.match((await lendos('done', 'no.such.step')).err, /no step "no\.such\.step".*lendos plan/);
    // A step another window or terminal is running (the journal says so) is neither marked done nor reset.
    appendFileSync(journal(), line({ type: 'step.started', step: 'staging.preflight' }));
    const running = await lendos('done', 'staging.preflight', '--force');
    assert.equal(running.code, 1);
    assert.match(running.err, /Run preflight checks is running; wait for it or cancel it first/);
    assert.match(
      (await lendos('reset', 'staging.preflight')).err,
      /is running; it cannot be reset while it runs/,
    );
  });

  it('skip: only optional steps and only with a reason; reset: back to pending; --release picks the release', async () => {
    await lendos('start', V);
    await lendos('start', '2025.5.0');
    const required = await lendos('skip', 'prep.bump-version', '--reason', 'no', '--release', V);
    assert.equal(required.code, 1);
    assert.match(required.err, /Update VERSION file is required and cannot be skipped/);
    const noReason = await lendos('skip', 'staging.upgrade.canton-restart', '--release', V);
    assert.equal(noReason.code, 2);
    assert.match(noReason.err, /say why the step is skipped: --reason TEXT/);

    const skipped = await lendos(
      'skip',
      'staging.upgrade.canton-restart',
      '--reason',
      'GC is normal',
      '--release',
      V,
    );
    assert.equal(skipped.code, 0, skipped.err);
    assert.match(
      skipped.out,
      /^Skipped: 3\.1\.2 Restart Canton \[staging\.upgrade\.canton-restart\].*now skipped\)\n {2}reason: GC is normal/,
    );
    assert.equal((await lendos('status', '--release', '2025.5.0', '--json')).code, 0);
    const v4 = JSON.parse((await lendos('status', '--release', V, '--json')).out) as { steps: StatusRow[] };
    assert.equal(v4.steps.find((s) => s.id === 'staging.upgrade.canton-restart')?.status, 'skipped');

    assert.match((await lendos('reset', 'prep.bump-version', '--release', V)).err, /nothing to reset/);
    const reset = await lendos('reset', 'staging.upgrade.canton-restart', '--release', V);
    assert.equal(reset.code, 0, reset.err);
    assert.match(reset.out, /^Reset: 3\.1\.2 Restart Canton .*now blocked\)/);
    assert.match(reset.out, /earlier history stays in the journal/);

    // With no active release, the one --release names becomes active; an active one is left as it is.
    const active = path.join(repo.root, '.lendos/runs/active');
    assert.equal(readFileSync(active, 'utf8').trim(), '2025.5.0');
    rmSync(active);
    assert.equal((await lendos('status', '--release', V)).code, 0);
    assert.equal(readFileSync(active, 'utf8').trim(), V);
    assert.equal((await lendos('status', '--release', '2025.5.0')).code, 0);
    assert.equal(readFileSync(active, 'utf8').trim(), V);
  });

  it('report: the journal as Markdown or JSON, to stdout or a file; a bad format is a usage error', async () => {
    await lendos('start', V);
    assert.equal((await lendos('done', 'recovery.fix-forward', '--note', 'not needed: Luis asked in Teams')).code, 0);
    const md = await lendos('report');
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^# Release 2025\.4\.0\n\nStarted \d{4}-\d\d-\d\d \d\d:\d\d UTC by /);
    assert.match(md.out, /\| Fix forward \| succeeded \| .* \(by hand\) \|/);
    const json = JSON.parse((await lendos('report', '--format', 'json')).out) as { version: string; steps: { id: string; status: string }[] };
    assert.equal(json.version, V);
    assert.equal(json.steps.find((s) => s.id === 'recovery.fix-forward')?.status, 'succeeded');
    const file = path.join(repo.root, 'report.md');
    const written = await lendos('report', '--out', file);
    assert.match(written.out, /^Wrote the report of release 2025\.4\.0 to /);
    assert.equal(readFileSync(file, 'utf8'), `${md.out}\n`);
    const bad = await lendos('report', '--format', 'xml');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format is md or json, not "xml"/);
  });

  it('status names the environment of each row, in text and JSON', async () => {
    await lendos('start', V);
    const rows = await status();
    const env = (id: string) => rows.find((s) => s.id === id)?.environment;
    assert.equal(env('prep.cut-release-branch'), null);
    assert.equal(env('staging.upgrade.scale-down'), 'staging');
    assert.equal(env('production.upgrade.scale-down'), 'production');
    const text = (await lendos('status')).out;
    assert.match(text, /○ 1\.1 +- +Cut release branch — ready/);
    assert.match(text, /· 3\.1\.1 +staging +Scale down services — blocked/);
    assert.match(text, /· \S+ +production +Scale down services — blocked/);
  });

  it('run --set: a field the step does not ask for is refused before anything runs, listing the fields', async () => {
    await lendos('start', V);
    const before = readFileSync(journal());
    const unknown = await lendos('run', 'prep.upgrade-branch', '--set', 'newVersion=0.1.93', '--yes');
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.err,
      '--set newVersion: prep.upgrade-branch does not ask for this field; it accepts --set from, to, dataLoaderFrom. Nothing was run.',
    );
    const none = await lendos('run', 'prep.cut-release-branch', '--set', 'to=0.1.93', '--yes');
    assert.equal(none.code, 2);
    assert.match(
      none.err,
      /^prep\.cut-release-branch asks for no values; --set is not accepted \(--set to\)/,
    );
    const shape = await lendos('run', 'prep.upgrade-branch', '--set', '0.1.93');
    assert.equal(shape.code, 2);
    assert.match(shape.err, /--set 0\.1\.93: write --set FIELD=VALUE/);
    assert.deepEqual(readFileSync(journal()), before, 'nothing was journalled');
  });

  describe('journal lines that are not folded', () => {
    it('a line of an unknown schema version is warned about, naming its line and v, and not folded', async () => {
      await lendos('start', V);
      appendFileSync(journal(), line({ v: 2, type: 'step.marked-done', step: 'staging.preflight' }));
      const result = await lendos('status', '--json');
      assert.equal(result.code, 0);
      assert.match(
        result.err,
        /journal: line 2 has journal schema version 2, but this LendOS Release reads version 1; it was ignored/,
      );
      const parsed = JSON.parse(result.out) as { warnings: string[]; steps: StatusRow[] };
      assert.equal(parsed.warnings.length, 1);
      assert.notEqual(parsed.steps.find((s) => s.id === 'staging.preflight')?.status, 'succeeded');
    });

    it('a journal copied from another release is warned about line by line; an empty journal says so and can be started', async () => {
      mkdirSync(path.dirname(journal()), { recursive: true });
      writeFileSync(
        journal(),
        line({ release: '2025.3.0', type: 'release.started' }) +
          line({ release: '2025.3.0', type: 'step.marked-done', step: 'prep.cut-release-branch' }),
      );
      const copied = await lendos('status', '--release', V);
      assert.equal(copied.code, 0);
      assert.match(
        copied.err,
        /line 1 is for release 2025\.3\.0, not 2025\.4\.0: was this journal copied from another release's file\? it was ignored/,
      );
      assert.match(copied.err, /line 2 is for release 2025\.3\.0/);
      assert.match(copied.err, /the journal of 2025\.4\.0 is empty/);

      writeFileSync(journal(), '');
      const empty = await lendos('status', '--release', V);
      assert.equal(empty.code, 0);
      assert.match(
        empty.err,
        /journal: the journal of 2025\.4\.0 is empty \(no "release\.started" event\): start the release again \(lendos start 2025\.4\.0/,
      );
      assert.equal((await lendos('start', V)).code, 0, 'an empty journal can be started');
      assert.equal((await lendos('status')).err, '', 'and then reads without warnings');
    });
  });

  describe('through the built CLI', () => {
    const built = (...args: string[]) => runBuiltCli(args, repo.root);

    it('refuses an approval without --note, skipping a required step, and --set newVersion (journal unchanged)', async () => {
      assert.equal((await built('start', V)).code, 0);
      const before = readFileSync(journal());
      const approval = await built('done', 'staging.smoke-approval', '--force');
      assert.equal(approval.code, 2);
      assert.match(
        approval.stderr,
        /error: Product smoke testing and approval is an approval: say who approved/,
      );
      assert.match(approval.stderr, /Usage: lendos done <step-id> \[--note TEXT\]/);
      const skip = await built('skip', 'prep.bump-version', '--reason', 'not needed');
      assert.equal(skip.code, 1);
      assert.match(
        skip.stderr,
        /error: Update VERSION file is required and cannot be skipped; only optional steps can/,
      );
      const set = await built('run', 'prep.upgrade-branch', '--set', 'newVersion=1', '--yes');
      assert.equal(set.code, 2);
      assert.equal(
        set.stderr,
        'error: --set newVersion: prep.upgrade-branch does not ask for this field; it accepts --set from, to, dataLoaderFrom. Nothing was run.\n',
      );
      assert.deepEqual(readFileSync(journal()), before, 'the journal is byte for byte what it was');
      assert.match((await built('run', '--help')).stdout, /--set to=0\.1\.93/);
      assert.match((await built('status', '--release')).stderr, /error: --release needs a value/);
      assert.equal(
        (await built('done', 'staging.smoke-approval', '--force', '--note', 'Luis, REL-123')).code,
        0,
      );
    });

    it('warns about an unknown schema version, a copied journal and an empty journal', async () => {
      assert.equal((await built('start', V)).code, 0);
      appendFileSync(journal(), line({ v: 3, type: 'step.skipped', step: 'staging.upgrade.canton-restart' }));
      const version = await built('status');
      assert.equal(version.code, 0);
      assert.match(version.stderr, /warning: journal: line 2 has journal schema version 3/);

      writeFileSync(journal(), line({ release: '2025.3.0', type: 'release.started' }));
      const copied = await built('status', '--json');
      assert.equal(copied.code, 0);
      assert.match(
        copied.stderr,
        /warning: journal: line 1 is for release 2025\.3\.0, not 2025\.4\.0: was this journal copied/,
      );
      assert.equal((JSON.parse(copied.stdout) as { warnings: string[] }).warnings.length, 2);

      writeFileSync(journal(), '');
      const empty = await built('status');
      assert.equal(empty.code, 0);
      assert.match(empty.stderr, /warning: journal: the journal of 2025\.4\.0 is empty/);
    });
  });
});
