import assert from 'node:assert/strict';
import { listScenarios, loadScenario, readScenario, ScenarioError } from '../../rehearsal/src/scenario.js';

describe('rehearsal scenarios', () => {
  it('ships the scenarios the runbook needs, and each loads', () => {
    const names = listScenarios();
    for (const name of ['happy-path', 'fast', 'stage-fails-once', 'slow-snapshot', 'pr-without-approval', 'milestone-open-issues', 'tag-missing-from-ecr', 'flaky-network', 'expired-credentials', 'selfheal', 'gitflow-conflict', 'main-build-fails', 'main-build-never-starts', 'production-upgrade-fails', 'restore-fails']) {
      assert.ok(names.includes(name), name);
      const scenario = loadScenario(name);
      assert.equal(scenario.name, name);
      assert.ok(scenario.timeScale > 0);
      assert.ok(scenario.description.length > 10);
    }
    assert.deepEqual(loadScenario('stage-fails-once').faults[0], {
      kind: 'stage-fails',
      stage: 'upgrade',
      cluster: 'staging',
      times: 1,
      message: 'io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline exceeded after 119.99s',
    });
  });

  it('fills durations from defaults', () => {
    const s = readScenario({ name: 'x', timeScale: 0.1, durations: { stage: 5 } }, 'x.yaml');
    assert.equal(s.durations.stage, 5);
    assert.ok(s.durations.snapshot > 0);
    assert.deepEqual(s.faults, []);
  });

  const bad: [unknown, RegExp][] = [
    ['text', /a scenario is a mapping/],
    [{ name: 'Bad Name' }, /name must be/],
    [{ name: 'x', timeScale: 0 }, /timeScale/],
    [{ name: 'x', seed: 1.5 }, /seed/],
    [{ name: 'x', durations: { stage: -1 } }, /durations\.stage/],
    [{ name: 'x', faults: {} }, /faults must be a list/],
    [{ name: 'x', faults: [{ kind: 'meteor' }] }, /faults\[0\] has an unknown kind/],
    [{ name: 'x', faults: [{ kind: 'main-build', outcome: 'slow' }] }, /faults\[0\]\.outcome must be one of failure, never-starts/],
  ];
  for (const [value, expected] of bad) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      assert.throws(() => readScenario(value, 'bad.yaml'), (e) => e instanceof ScenarioError && expected.test(e.message) && e.message.startsWith('bad.yaml'));
    });
  }

  it('names the choices for an unknown scenario', () => {
    assert.throws(() => loadScenario('nope'), /no scenario "nope": choose one of .*happy-path/);
  });
});
