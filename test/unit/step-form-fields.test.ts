/**
 * `lendos run --set FIELD=VALUE` accepts exactly the ids an executor declares in `fields`; those must be the ids of
 * the form its `prepare` shows. Each form is shown here with fakes and its field ids compared with the declaration;
 * a new `prompt.form(` under src/steps fails the last test until it is checked the same way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CalVer } from '../../src/core/calver.js';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { buildRunbook, DEV_FLOW } from '../../src/core/runbook/index.js';
import type { FormField, Prompt, StepContext, StepExecutor } from '../../src/engine/step-types.js';
import type { Phase1Ports } from '../../src/ports.js';
import { allExecutors } from '../../src/steps/index.js';
import { createUpgradeBranch } from '../../src/steps/upgrade-branch.js';
import { productApproval } from '../../src/steps/github/approval.js';
import { identifyBuiltTags } from '../../src/steps/github/built-tags.js';
import { builtTagsContext } from './built-tags-fakes.js';
import { chooseSnapshot } from '../../src/steps/rollback/choose-snapshot.js';
import { devImageTags } from '../../src/steps/dev/image-tags.js';

/** Only what the rollback's snapshot form reads: the cluster's snapshots in RDS. */
function snapshotContext(prompt: Prompt): StepContext<Phase1Ports> {
  const snapshot = { id: 'canton-upgrade-2025-4-0-20251110-1432', arn: 'arn', cluster: 'canton-0-1-54', status: 'available', percentProgress: 100 };
  const rds = { listSnapshots: async () => [snapshot] };
  const context = phase1Context('staging.rollback.choose-snapshot', prompt) as unknown as Record<string, unknown>;
  return { ...context, evidenceOf: () => ({}), log: { warn: () => undefined, info: () => undefined }, ports: { rds: async () => rds } } as unknown as StepContext<Phase1Ports>;
}

/** Only what dev's tag form reads: access to lendos-eks-workloads and each portal image's ECR listing. */
function devTagsContext(prompt: Prompt): StepContext<Phase1Ports> {
  const step = buildRunbook(DEV_FLOW, defaultConfig()).steps.find((s) => s.id === 'dev.image-tags');
  const image = (tag: string, pushedAt: string) => ({ tag, digest: `sha256:${'a'.repeat(64)}`, sizeBytes: 1, pushedAt });
  const ecr = { listImages: async () => [image('v0.0.830', '2026-12-01T10:00:00Z'), image('dev-2025.4.0.3405', '2026-12-02T10:00:00Z')] };
  const repo = (name: string) => ({ owner: 'rplendos', name });
  const ports = {
    github: async () => ({ checkAccess: async () => ({ ok: true }) }),
    repositories: async () => ({ lendos: repo('lendos'), workloads: repo('lendos-eks-workloads') }),
    ecr: async () => ecr,
    workspaceRoot: '/nowhere',
  };
  const log = { warn: () => undefined, info: () => undefined };
  return { step, config: defaultConfig(), prompt, evidenceOf: () => ({}), log, ports } as unknown as StepContext<Phase1Ports>;
}

const VERSION = '2025.4.0';
const DAML_YAML: Record<string, string> = {
  'services/lendos-daml/daml.yaml': 'name: lendos-model\nversion: 0.1.92\n',
  'services/data-loader-service/daml.yaml': 'name: lendos-data-loader\nversion: 0.1.40\n',
};

/** A prompt that records the form it is shown and declines it. */
function recordingPrompt(shown: FormField[][]): Prompt {
  return {
    confirm: async () => false,
    confirmTyped: async () => false,
    form: async (_title, fields) => {
      shown.push([...fields]);
      return undefined;
    },
  };
}

/** Only what 1.3's form reads: the release branch on origin with the two packages' daml.yaml, no upgrade branch. */
function phase1Context(stepId: string, prompt: Prompt): StepContext<Phase1Ports> {
  const release = `refs/remotes/origin/release/${VERSION}`;
  const git = {
    revParse: async (_cwd: string, ref: string) => (ref === release ? 'f'.repeat(40) : undefined),
    listFiles: async () => Object.keys(DAML_YAML),
    showFile: async (_cwd: string, _ref: string, file: string) => DAML_YAML[file],
  };
  const step = buildRunbook(VERSION, defaultConfig()).steps.find((s) => s.id === stepId);
  assert.ok(step, stepId);
  return {
    step,
    version: CalVer.parse(VERSION),
    config: defaultConfig(),
    prompt,
    ports: { git, workspaceRoot: '/nowhere' } as unknown as Phase1Ports,
  } as unknown as StepContext<Phase1Ports>;
}

/** Each executor whose `prepare` shows a form, with the file that builds the form and how to show it. */
const FORMS: {
  file: string;
  executor: StepExecutor<Phase1Ports, unknown>;
  show: (prompt: Prompt) => Promise<unknown>;
}[] = [
  {
    file: 'src/steps/upgrade-form.ts',
    executor: createUpgradeBranch as StepExecutor<Phase1Ports, unknown>,
    show: (prompt) =>
      createUpgradeBranch.prepare?.(phase1Context('prep.upgrade-branch', prompt)) ?? Promise.resolve(),
  },
  {
    file: 'src/steps/github/approval.ts',
    executor: productApproval as unknown as StepExecutor<Phase1Ports, unknown>,
    // The question comes first: declined, it looks at nothing.
    show: (prompt) =>
      productApproval.prepare?.(phase1Context('staging.smoke-approval', prompt) as never) ?? Promise.resolve(),
  },
  {
    file: 'src/steps/github/built-tags-form.ts',
    executor: identifyBuiltTags as StepExecutor<Phase1Ports, unknown>,
    show: (prompt) => identifyBuiltTags.prepare?.(builtTagsContext(prompt)) ?? Promise.resolve(),
  },
  {
    file: 'src/steps/dev/image-tags.ts',
    executor: devImageTags as unknown as StepExecutor<Phase1Ports, unknown>,
    show: (prompt) => devImageTags.prepare?.(devTagsContext(prompt) as never) ?? Promise.resolve(),
  },
  {
    file: 'src/steps/rollback/choose-snapshot.ts',
    executor: chooseSnapshot as unknown as StepExecutor<Phase1Ports, unknown>,
    show: (prompt) => chooseSnapshot.prepare?.(snapshotContext(prompt) as never) ?? Promise.resolve(),
  },
];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('form fields of the step executors (what --set accepts)', () => {
  for (const { executor, show } of FORMS) {
    it(`${String(executor.stepId)} declares exactly the ids of the fields its form shows`, async () => {
      const shown: FormField[][] = [];
      assert.equal(await show(recordingPrompt(shown)), undefined, 'declining the form changes nothing');
      assert.equal(shown.length, 1, 'one form');
      assert.deepEqual(
        shown[0]?.map((f) => f.id),
        [...(executor.fields ?? [])],
      );
    });
  }

  it('only executors with a form declare fields', async () => {
    const withForm = new Set(FORMS.map((f) => f.executor.stepId));
    for (const executor of await allExecutors()) {
      const declared = executor.fields ?? [];
      if (withForm.has(executor.stepId)) assert.ok(declared.length > 0, String(executor.stepId));
      else
        assert.deepEqual(
          declared,
          [],
          `${String(executor.stepId)} shows no form, so --set has nothing to set`,
        );
    }
  });

  it('every form under src/steps is checked above', () => {
    const withForms = sourcesUnder('src/steps').filter((file) =>
      /\bprompt\.form\(/.test(readFileSync(file, 'utf8')),
    );
    assert.deepEqual(
      withForms.map((f) => f.split(path.sep).join('/')).sort(),
      FORMS.map((f) => f.file).sort(),
      'a new form: add its executor to FORMS and declare its field ids in `fields`',
    );
  });
});
