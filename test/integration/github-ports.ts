/** The product's GitHub ports (Octokit over HTTP) pointed at a rehearsal world, for harnesses that build their own ports. */
import { createStepPorts, type RehearsalWorld } from '../../src/adapters/step-ports.js';
import type { LendosConfig } from '../../src/core/config/types.js';
import type { UpgradePorts } from '../../src/ports.js';

export function githubPorts(root: string, config: () => LendosConfig, world: RehearsalWorld): Pick<UpgradePorts, 'github' | 'repositories'> {
  const ports = createStepPorts(root, config, () => world, async () => 'Rehearsal Engineer <engineer@rehearsal.lendos.io>');
  return { github: ports.github, repositories: ports.repositories };
}
