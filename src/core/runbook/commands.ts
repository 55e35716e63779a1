/**
 * The runbook's shell commands with an environment's configuration filled in. They are shown to people and
 * copied into terminals, never executed by us; configured values are quoted when a shell would read them.
 */
import type { CantonComponent, EnvironmentConfig, LendosConfig, ServiceConfig } from '../config/types.js';

/** A configured value as one shell word: plain values as they are, anything else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const w = shellWord;

function on(env: EnvironmentConfig, namespace: string): string {
  return `--context=${w(env.kubeContext)} -n ${w(namespace)}`;
}

export function scaleCommand(env: EnvironmentConfig, service: ServiceConfig, replicas: number): string {
  return `kubectl scale deployment ${w(service.deployment)} --replicas=${replicas} ${on(env, service.namespace)}`;
}

/** The runbook stops the portals before the services they call (the reverse of the scale-up order). */
export function scaleDownCommands(env: EnvironmentConfig): string[] {
  return [...env.services].reverse().map((service) => scaleCommand(env, service, 0));
}

export function scaleUpCommands(env: EnvironmentConfig): string[] {
  return env.services.map((service) => scaleCommand(env, service, service.replicas));
}

export function getPodsCommands(env: EnvironmentConfig, services = env.services): string[] {
  return services.map((service) => `kubectl get pods ${on(env, service.namespace)}`);
}

export function getDeploymentsCommands(env: EnvironmentConfig): string[] {
  return env.services.map((service) => `kubectl get deployments ${on(env, service.namespace)}`);
}

/** The portals whose backends log the ledger connection and DAR loading. */
export function portalServices(env: EnvironmentConfig): ServiceConfig[] {
  return env.services.filter(
    (service) => service.name === 'lendos-portal' || service.name === 'signing-portal',
  );
}

/** The runbook reads each portal's backend deployment, named `<portal deployment>-backend`. */
export function backendLogCommands(env: EnvironmentConfig): string[] {
  return portalServices(env).map(
    (service) =>
      `kubectl logs deployment/${w(`${service.deployment}-backend`)} ${on(env, service.namespace)} --tail=100`,
  );
}

export function deleteCantonPodsCommand(env: EnvironmentConfig, component: CantonComponent): string {
  return `kubectl delete pod -l ${w(component.selector)} ${on(env, component.namespace)}`;
}

export function waitCantonReadyCommand(env: EnvironmentConfig, component: CantonComponent): string {
  return `kubectl wait --for=condition=ready pod -l ${w(component.selector)} ${on(env, component.namespace)} --timeout=300s`;
}

export function cantonLogsCommand(env: EnvironmentConfig, component: CantonComponent): string {
  return `kubectl logs -l ${w(component.selector)} ${on(env, component.namespace)} --tail=100`;
}

/** `kubectl logs` for one upgrade stage's Job pods; `stage` may be a placeholder such as `<stage-name>`. */
export function stageLogsCommand(
  env: EnvironmentConfig,
  stage: string,
  options: { follow: boolean; prefix: boolean },
): string {
  const flags = `${options.prefix ? ' --prefix' : ''}${options.follow ? ' --follow' : ''}`;
  return `kubectl logs ${on(env, env.upgradeNamespace)} -l io.lendos.app/upgrade-stage=${stage}${flags}`;
}

export function upgradeJobsCommand(env: EnvironmentConfig): string {
  return `kubectl get jobs ${on(env, env.upgradeNamespace)} -l io.lendos.app/current-version --watch`;
}

/** `run-upgrade.sh`, with `<from>`/`<to>` left for the DAML package versions the person knows. */
export function runUpgradeCommand(upgradeArgument: string, stage?: string): string {
  const only = stage ? ` --stage ${stage}` : '';
  return `./run-upgrade.sh --from <from> --to <to> ${w(upgradeArgument)}${only}`;
}

export function argoSyncCommands(env: EnvironmentConfig): string[] {
  return [
    ...env.argoApplications.map((app) => `argocd app sync ${w(app)} --prune`),
    ...env.argoApplications.map((app) => `argocd app wait ${w(app)} --health`),
  ];
}

/** `--region` and, where configured, `--profile` for an environment's RDS commands. */
export function rdsFlags(env: EnvironmentConfig): string {
  return `--region ${w(env.region)}${env.awsProfile ? ` --profile ${w(env.awsProfile)}` : ''}`;
}

export function ecrImagesCommand(config: LendosConfig, repository: string, query: string): string {
  return `aws ecr describe-images --repository-name ${w(repository)} --region ${w(config.aws.region)} --query '${query}' --output table`;
}

/** Each `line` under a comment naming the environment, for steps that apply to whichever one failed. */
export function forEnvironment(env: EnvironmentConfig, lines: readonly string[]): string[] {
  return [`# ${env.label}: ${env.kubeContext}`, ...lines];
}

/** `cd` into the workloads clone's DAML upgrade chart, where `run-upgrade.sh` lives. */
export function chartDirectoryCommand(config: LendosConfig): string {
  return `cd ${w(`${config.repositories.workloadsPath}/charts/daml-upgrade`)}`;
}
