import type { WorldDescription } from '../../rehearsal/src/contracts.js';

export interface RehearsalWorkspace {
  /** The lendos clone to open in the editor. */
  workspace: string;
  /** `DIR/world.json`. */
  worldFile: string;
  description: WorldDescription;
  /** The world's variables (KUBECONFIG, AWS_*, GITHUB_*), for the editor's environment. */
  env: Record<string, string>;
  /** Stops the world's process group (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Starts `node dist/cli.js rehearse --headless` in its own process group and waits for DIR/world.json. */
export function prepareRehearsalWorkspace(options: {
  dir: string;
  scenario?: string;
  timeoutMs?: number;
  onOutput?: (line: string) => void;
}): Promise<RehearsalWorkspace>;
