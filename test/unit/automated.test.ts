import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { buildRunbook } from '../../src/core/runbook/index.js';
import { ExecutorRegistry, LazyExecutorRegistry } from '../../src/engine/registry.js';
import { AUTOMATED_STEPS } from '../../src/steps/automated.js';
import { allExecutors } from '../../src/steps/index.js';

describe('automated steps list', () => {
  it('names exactly the steps that have an executor, so the lazy registry agrees with the eager one', async () => {
    const executors = await allExecutors();
    const eager = new ExecutorRegistry(executors);
    let loads = 0;
    const lazy = new LazyExecutorRegistry(AUTOMATED_STEPS, async () => {
      loads++;
      return executors;
    });
    const steps = buildRunbook('2025.4.0', defaultConfig()).steps;
    for (const step of steps) assert.equal(lazy.isAutomated(step.id), eager.isAutomated(step.id), step.id);
    assert.equal(loads, 0, 'knowing which steps are automated loads nothing');
    assert.ok(await lazy.find('prep.cut-release-branch'));
    assert.equal(await lazy.find('recovery.fix-forward'), undefined);
    assert.equal(loads, 1);
    assert.ok(steps.filter((s) => eager.isAutomated(s.id)).length >= 4);
  });
});
