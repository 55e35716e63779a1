/** Journals as JSON-lines files under `.lendos/runs/`, kept out of git through `.git/info/exclude`. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatEvent, parseJournal } from '../core/journal/parse.js';
import type { JournalEvent } from '../core/journal/types.js';
import type { JournalRead, JournalStore } from '../ports.js';

const RUNS_DIR = path.join('.lendos', 'runs');
const ACTIVE_FILE = 'active';
const EXCLUDE_LINE = '/.lendos/runs/';

export class FileJournalStore implements JournalStore {
  private readonly dir: string;
  private excluded = false;

  constructor(
    private readonly root: string,
    private readonly gitDir?: string,
  ) {
    this.dir = path.join(root, RUNS_DIR);
  }

  pathOf(version: string): string {
    return path.join(this.dir, `${version}.jsonl`);
  }

  async list(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length));
  }

  async exists(version: string): Promise<boolean> {
    return fs.stat(this.pathOf(version)).then(
      () => true,
      () => false,
    );
  }

  /** A missing journal reads as no events and no warnings; an existing one is checked against `version`. */
  async read(version: string): Promise<JournalRead> {
    const text = await fs.readFile(this.pathOf(version), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    return text === undefined ? { events: [], warnings: [] } : parseJournal(text, { release: version });
  }

  async append(event: JournalEvent): Promise<void> {
    await this.prepare();
    const file = this.pathOf(event.release);
    const handle = await fs.open(file, 'a+');
    try {
      // A torn last line must not swallow the next event: start on a fresh line.
      const { size } = await handle.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await handle.write(prefix + formatEvent(event));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async activeRelease(): Promise<string | undefined> {
    const text = await fs.readFile(path.join(this.dir, ACTIVE_FILE), 'utf8').catch(() => '');
    return text.trim() || undefined;
  }

  async setActiveRelease(version: string): Promise<void> {
    await this.prepare();
    const file = path.join(this.dir, ACTIVE_FILE);
    await fs.writeFile(`${file}.tmp`, version + '\n');
    await fs.rename(`${file}.tmp`, file);
  }

  private async prepare(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    if (!this.excluded) {
      await this.excludeFromGit();
      this.excluded = true;
    }
  }

  private async excludeFromGit(): Promise<void> {
    const gitDir = this.gitDir ?? path.join(this.root, '.git');
    const stat = await fs.stat(gitDir).catch(() => undefined);
    if (!stat?.isDirectory()) return;
    const exclude = path.join(gitDir, 'info', 'exclude');
    const current = await fs.readFile(exclude, 'utf8').catch(() => '');
    if (current.split('\n').some((l) => l.trim() === EXCLUDE_LINE)) return;
    await fs.mkdir(path.dirname(exclude), { recursive: true });
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    await fs.appendFile(exclude, `${sep}# LendOS Release run journals\n${EXCLUDE_LINE}\n`);
  }
}
