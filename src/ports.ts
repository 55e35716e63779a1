/** The interfaces steps and the engine need from the outside world. Adapters implement them. */
import type { JournalEvent, JournalWarning } from './core/journal/types.js';

export interface JournalRead {
  readonly events: JournalEvent[];
  readonly warnings: JournalWarning[];
}

/** Append-only journals, one per release, plus which release is active. */
export interface JournalStore {
  /** Versions that have a journal, in no particular order. */
  list(): Promise<string[]>;
  read(version: string): Promise<JournalRead>;
  /** Appends one event as one line, durably (single write + fsync). */
  append(event: JournalEvent): Promise<void>;
  exists(version: string): Promise<boolean>;
  activeRelease(): Promise<string | undefined>;
  setActiveRelease(version: string): Promise<void>;
  /** Where the release's journal lives, for "Show Journal". */
  pathOf(version: string): string;
}

/** Read-only facts about the workspace repository. */
export interface WorkspaceRepo {
  readonly root: string;
  /** Whether `root` is inside a git work tree. */
  isGitRepository(): Promise<boolean>;
  /** Local and remote-tracking branch names (`develop`, `release/2025.3.0`, `origin/release/2025.3.0`). */
  branches(): Promise<string[]>;
  /** The VERSION file at the repository root, or undefined when there is none. */
  readVersionFile(): Promise<string | undefined>;
  /** `Name <email>` from git config, falling back to the OS user. */
  actor(): Promise<string>;
}

export interface Clock {
  now(): Date;
}
