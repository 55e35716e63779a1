// The rehearsal world for `npm start`: `lendos rehearse --headless` from dist/, in its own process group.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths.mjs';
import { sleep, spawnGroup, stopGroup } from './processes.mjs';

const OUTPUT_TAIL = 16 * 1024;

/** Keeps the last `OUTPUT_TAIL` characters of a stream (and keeps it drained, so the child never blocks on a full pipe). */
function tail(stream, onLine) {
  const kept = { text: '' };
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    kept.text = (kept.text + chunk).slice(-OUTPUT_TAIL);
    if (!onLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  return kept;
}

/** The world.json of this child, once it is written (a leftover one of an earlier world has another pid). */
function readWorld(worldFile, pid) {
  if (!existsSync(worldFile)) return undefined;
  try {
    const description = JSON.parse(readFileSync(worldFile, 'utf8'));
    return description.pid === pid ? description : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `node dist/cli.js rehearse --headless --dir DIR --scenario S` (build first) and waits for DIR/world.json.
 * @param {{dir: string, scenario?: string, timeoutMs?: number, onOutput?: (line: string) => void}} options
 * @returns {Promise<{workspace: string, worldFile: string, description: object, env: Record<string,string>, stop: () => Promise<void>}>}
 */
export async function prepareRehearsalWorkspace({ dir, scenario = 'happy-path', timeoutMs = 120_000, onOutput }) {
  const worldDir = path.resolve(dir);
  const worldFile = path.join(worldDir, 'world.json');
  const cli = path.join(projectRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`node esbuild.mjs\` first`);
  const child = spawnGroup(process.execPath, [cli, 'rehearse', '--headless', '--dir', worldDir, '--scenario', scenario], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = tail(child.stdout, onOutput);
  const stderr = tail(child.stderr, onOutput);
  const exit = { code: undefined };
  child.on('exit', (code, signal) => (exit.code = code ?? signal));
  child.on('error', (error) => (exit.code = error.message));
  const stop = () => stopGroup(child);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = readWorld(worldFile, child.pid);
    if (description) {
      return { workspace: description.workspace.lendos, worldFile, description, env: description.env, stop };
    }
    const failure =
      exit.code !== undefined
        ? `the rehearsal world exited (${exit.code}) before writing ${worldFile}`
        : Date.now() > deadline
          ? `the rehearsal world wrote no ${worldFile} within ${timeoutMs / 1000} s`
          : undefined;
    if (failure) {
      await stop();
      const output = (stderr.text.trim() || stdout.text.trim()).replace(/^/gm, '  ');
      throw new Error(`${failure}:\n${output || '  (no output)'}`);
    }
    await sleep(100);
  }
}
