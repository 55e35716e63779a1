/** The runbook as data: phases, steps and upgrade stages, each with a stable id. */

export type StepKind = 'automated' | 'manual' | 'approval';

/** Environments of the runbook's table. `production` is BXCI. */
export type EnvironmentName = 'dev' | 'staging' | 'production';
/** Environments that run the DAML upgrade procedure (Section 3). */
export type UpgradeEnvironment = 'staging' | 'production';

export type PhaseId = 'preparation' | 'staging' | 'production' | 'recovery' | 'dev';

export const UPGRADE_STAGES = [
  'upload-dars',
  'init-upgrade-coordinator',
  'initialize-upgraders',
  'upgrade-consent',
  'upgrade',
  'cleanup-upgraders',
  'cleanup-coordinator',
] as const;
export type UpgradeStage = (typeof UPGRADE_STAGES)[number];

export interface StepDef {
  /** Stable id, e.g. `prep.cut-release-branch`, `staging.upgrade.scale-down`, `staging.upgrade.stage.upload-dars`. */
  readonly id: string;
  readonly phase: PhaseId;
  readonly environment?: EnvironmentName;
  /** Display title without the section number, e.g. "Cut release branch". */
  readonly title: string;
  /** Runbook section, e.g. "1.1", "3.1.1", "3.4". */
  readonly section: string;
  /** Heading in the runbook text that "Open runbook section" searches for. */
  readonly anchor: string;
  /** Our own words: what the step does and why (Markdown). */
  readonly guidance: string;
  /** The commands this step replaces, verbatim from the runbook with the release's values filled in. */
  readonly commands: readonly string[];
  /** What success looks like. */
  readonly success: string;
  readonly kind: StepKind;
  /**
   * An approval LendOS can look for itself (its executor finds it on GitHub): Run Step waits for it, Check Approval
   * Now looks once; Mark Done with a note stays. Set by the engine's view, never by the runbook.
   */
  readonly checkable?: boolean;
  readonly optional: boolean;
  readonly dependsOn: readonly string[];
  /** Typical duration in minutes from the runbook's timeline, where it gives one. */
  readonly typicalMinutes?: number;
  /** Tree grouping inside a phase, e.g. the Section 3 procedure under "2.4 DAML upgrade in staging". */
  readonly group?: string;
  /** For upgrade stages: the step that owns them (`staging.upgrade.run`). */
  readonly parent?: string;
  readonly stage?: UpgradeStage;
}

export interface PhaseDef {
  readonly id: PhaseId;
  readonly title: string;
  readonly section: string;
}

export interface GroupDef {
  readonly id: string;
  readonly phase: PhaseId;
  readonly title: string;
  readonly section: string;
}

/** The whole runbook instantiated for one release version. */
export interface Runbook {
  readonly version: string;
  readonly phases: readonly PhaseDef[];
  readonly groups: readonly GroupDef[];
  /** All steps in runbook order (stages directly after their parent). */
  readonly steps: readonly StepDef[];
}
