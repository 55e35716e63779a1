/** Stand-ins when the editor has no folder open: they read as empty and refuse changes with what to do. */
import { UserError } from '../core/errors.js';
import type { JournalRead, JournalStore, RunLocks, WorkspaceRepo } from '../ports.js';

const OPEN_FOLDER = 'No folder is open: open the lendos repository (File → Open Folder…) to run a release.';

export const noWorkspaceRepo: WorkspaceRepo = {
  root: '(no folder open)',
  isGitRepository: async () => false,
  branches: async () => [],
  readVersionFile: async () => undefined,
  actor: async () => 'unknown',
};

export const noWorkspaceStore: JournalStore = {
  list: async () => [],
  read: async (): Promise<JournalRead> => ({ events: [], warnings: [] }),
  append: async () => {
    throw new UserError(OPEN_FOLDER, 'no-folder');
  },
  exists: async () => false,
  activeRelease: async () => undefined,
  setActiveRelease: async () => {
    throw new UserError(OPEN_FOLDER, 'no-folder');
  },
  pathOf: () => {
    throw new UserError(OPEN_FOLDER, 'no-folder');
  },
};

export const noWorkspaceLocks: RunLocks = {
  host: '(no folder open)',
  pid: 0,
  acquire: async () => {
    throw new UserError(OPEN_FOLDER, 'no-folder');
  },
  isAlive: () => undefined,
};
