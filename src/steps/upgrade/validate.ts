/**
 * 3.3.3 Validate (story #5828): one table on the step and in the journal — pods, backend logs, frontends, PQS counts
 * before and after — and, when every check holds, the cluster lock released: the procedure is over.
 */
import { UserError } from '../../core/errors.js';
import type { UpgradeEnvironment } from '../../core/runbook/types.js';
import { Cancelled, type StepExecutor } from '../../engine/step-types.js';
import type { UpgradePorts } from '../../ports.js';
import { holdLock } from './lock.js';
import { upgradeVersions } from './stages.js';
import { assertTarget, clusterOf, serviceNamespaces, targetEvidence, type Target } from './target.js';
import { backendRows, podRows, pqsRows, pqsVersionRows, tableLines, urlRows, type ValidationRow } from './validation-checks.js';

export interface ValidateOptions {
  /** Default `<env>.upgrade.validate`. */
  readonly stepId?: string;
  /** The rollback validates the version before the upgrade: the backends' DARs of `from`, and no contract left at `to`. */
  readonly rolledBack?: boolean;
}

function summaryOf(rows: readonly ValidationRow[]): string {
  const count = (status: ValidationRow['status']) => rows.filter((r) => r.status === status).length;
  const notChecked = rows.filter((r) => r.status === 'not checked').map((r) => `${r.check} ${r.target}`);
  const skipped = notChecked.length > 0 ? `; not checked: ${notChecked.join(', ')}` : '';
  return `${count('ok')} check(s) passed, ${count('failed')} failed${skipped}`;
}

export function validate(environment: UpgradeEnvironment, options: ValidateOptions = {}): StepExecutor<UpgradePorts, Target> {
  const rolledBack = options.rolledBack === true;
  return {
    stepId: options.stepId ?? `${environment}.upgrade.validate`,

    /** A validation is a fresh look each time: never adopted. */
    async observe() {
      return { done: false };
    },

    async prepare(ctx) {
      const env = ctx.config.environments[environment];
      const namespaces = [...serviceNamespaces(env), ...ctx.config.validation.backends.map((b) => b.namespace)];
      return assertTarget(ctx, await clusterOf(ctx), namespaces);
    },

    async run(ctx, target) {
      const lock = await holdLock(ctx, target);
      try {
        await ctx.record(targetEvidence(target));
        const { from, to } = upgradeVersions(ctx);
        await ctx.progress('Checking pods, backend logs, frontends and PQS counts');
        const versions = rolledBack ? pqsVersionRows(ctx, target, from, to) : Promise.resolve([]);
        const [pods, backends, urls, pqs, pqsVersions] = await Promise.all([podRows(target), backendRows(ctx, target, rolledBack ? from : to), urlRows(ctx, target), pqsRows(ctx, target), versions]).catch((error: unknown) => {
          if (ctx.signal.aborted) throw new Cancelled('Validation stopped before its checks finished; the upgrade lock stays held. Run this step again to validate.');
          throw error;
        });
        const rows = [...pods, ...backends, ...urls, ...pqs.rows, ...pqsVersions];
        for (const line of tableLines(rows)) ctx.log.info(line);
        const summary = summaryOf(rows);
        const evidence = { validation: { rows: rows.map((r) => ({ ...r })) }, ...pqs.evidence };
        await ctx.record(evidence);
        const failed = rows.filter((r) => r.status === 'failed');
        if (failed.length > 0) {
          const list = failed.map((r) => `${r.check} ${r.target}: ${r.detail}`).join('; ');
          const next = rolledBack ? 'fix this, then run this step again' : 'fix this (or go to Recovery) before Product smoke-tests, then run this step again';
          throw new UserError(`Validation failed (${summary}): ${list}. The upgrade lock stays held; ${next}.`, 'validation-failed');
        }
        await lock.release();
        return { summary: `${summary}; upgrade lock released`, evidence };
      } finally {
        lock.stop();
      }
    },
  };
}
