/** The journals of a workspace: one per release, and the dev flow's. */

/**
 * The dev flow's journal id: Section 4 is its own flow, kept in `.lendos/runs/dev.jsonl` and started without a
 * release (`lendos start dev`, LendOS: Sync Dev Environment); a release's runbook leaves it out.
 */
export const DEV_FLOW = 'dev';

export const isDevFlow = (id: string): boolean => id === DEV_FLOW;

/** Refuses what only a release has (its PR, its report on the PR) for the dev flow, saying what to do instead. */
export const NO_RELEASE_PR =
  'The dev sync has no release PR to post its report on: export it instead (LendOS: Export Release Report, or lendos report --release dev --out FILE).';

/** How a journal is named to people: `Release 2025.4.0`, or `Dev sync`. */
export const flowTitle = (id: string): string => (isDevFlow(id) ? 'Dev sync' : `Release ${id}`);
