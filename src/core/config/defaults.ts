/** The runbook's environment table (Section 5) as default configuration. */
import type { EnvironmentConfig, LendosConfig, ServiceConfig } from './types.js';
import type { EnvironmentName } from '../runbook/types.js';

const REGION = 'us-east-1';

function services(): ServiceConfig[] {
  return [
    { name: 'pqs', namespace: 'pqs', deployment: 'pqs', replicas: 1 },
    { name: 'daml-http-json', namespace: 'daml-http-json', deployment: 'daml-http-json', replicas: 1 },
    { name: 'lendos-portal', namespace: 'lendos-portal', deployment: 'lendos-portal', replicas: 2 },
    { name: 'signing-portal', namespace: 'signing-portal', deployment: 'signing-portal', replicas: 2 },
  ];
}

function environment(
  name: EnvironmentName,
  fields: Pick<EnvironmentConfig, 'label' | 'kubeContext' | 'cantonCluster' | 'upgradeArgument' | 'urls' | 'valuesTagsFile'> &
    Partial<EnvironmentConfig>,
): EnvironmentConfig {
  return {
    name,
    region: REGION,
    services: services(),
    canton: {
      participant: { namespace: 'canton-participant', selector: 'app=canton-participant' },
      domain: { namespace: 'canton-domain', selector: 'app=canton-domain' },
    },
    argoApplications: ['lendos-portal', 'signing-portal'],
    argoNamespace: 'argocd',
    upgradeNamespace: 'lendos-portal',
    awsProfile: null,
    valuesTagsPaths: {},
    pqs: { connection: null, secret: { namespace: 'pqs', name: 'pqs-postgres', key: 'connection' } },
    identity: { account: null, clusterUid: null, server: null },
    ...fields,
  };
}

export function defaultConfig(): LendosConfig {
  return {
    environments: {
      dev: environment('dev', {
        label: 'Dev',
        kubeContext: 'lendos-dev/SREOperatorAccess',
        cantonCluster: null,
        upgradeArgument: null,
        urls: ['https://portal.dev.app.lendos.io', 'https://sign.dev.lendos.io'],
        valuesTagsFile: 'values-tags-dev.yaml',
        argoApplications: [
          'workload-lendos-eks-cluster-lendos-portal',
          'workload-lendos-eks-cluster-signing-portal',
        ],
      }),
      staging: environment('staging', {
        label: 'Staging',
        kubeContext: 'lendos-stg/SREOperatorAccess',
        awsProfile: 'lendos-stg/SREOperatorAccess',
        cantonCluster: 'canton-0-1-54',
        upgradeArgument: 'staging',
        urls: [],
        valuesTagsFile: 'values-tags-staging.yaml',
      }),
      production: environment('production', {
        label: 'Production (BXCI)',
        kubeContext: 'bxci-prod/SREOperatorAccess',
        awsProfile: 'bxci-prod/SREOperatorAccess',
        cantonCluster: 'canton-20241104-0324',
        upgradeArgument: 'bxci',
        urls: [],
        valuesTagsFile: 'values-tags-production.yaml',
      }),
    },
    repositories: {
      owner: 'rplendos',
      lendos: 'lendos',
      workloads: 'lendos-eks-workloads',
      workloadsPath: '../lendos-eks-workloads',
    },
    ecr: {
      upgradeRepository: 'right-pedal/portal-daml-upgrade',
      serviceRepositories: {
        'lendos-portal-backend': 'right-pedal/lendos-portal-backend',
        'lendos-portal-frontend': 'right-pedal/lendos-portal-frontend',
        'signing-portal-backend': 'right-pedal/signing-portal-backend',
        'signing-portal-frontend': 'right-pedal/signing-portal-frontend',
      },
    },
    aws: { artifactsProfile: 'artifacts-prod/SREOperatorAccess', region: REGION },
    kubeconfig: null,
    lease: { name: 'lendos-release-upgrade', namespace: 'lendos-portal', durationSeconds: 60 },
    github: { apiUrl: 'https://api.github.com', productApprovers: [], productApproverTeam: null, approvalPollSeconds: 30, buildStartTimeoutSeconds: 600 },
    validation: {
      ledgerPattern: 'Connected to (the )?ledger',
      darPattern: 'Loaded DARs?:.*{to}',
      backends: [
        { namespace: 'lendos-portal', deployment: 'lendos-portal-backend' },
        { namespace: 'signing-portal', deployment: 'signing-portal-backend' },
      ],
    },
  };
}
