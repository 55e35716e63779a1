// Child processes for the harness scripts: plain runs, detached process groups, and cleanup on Ctrl-C.
import { spawn } from 'node:child_process';

/** Runs a command to completion with inherited output; rejects with the exit code in the message. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Runs a command and returns its stdout; rejects with stderr on failure. */
export function capture(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** Starts a command as the leader of a new process group, so the whole tree can be stopped at once. */
export function spawnGroup(command, args, options = {}) {
  return spawn(command, args, { ...options, detached: true });
}

/** Stops a whole process group: SIGTERM, up to `graceMs` for everyone in it to leave, then SIGKILL. */
export async function stopGroup(child, graceMs = 5000) {
  if (child.pid === undefined) return;
  signalGroup(child.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  // Grandchildren such as the extension host can outlive the leader: wait on the group, not the pid.
  while (Date.now() < deadline && groupAlive(child.pid)) await sleep(100);
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `cleanup` once on SIGINT, SIGTERM or SIGHUP, then exits with 130/143/129.
 * Returns a function that removes the handlers (call it after a normal cleanup).
 */
export function onInterrupt(cleanup) {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  let running = false;
  const handler = (signal) => {
    if (running) return;
    running = true;
    console.error(`\n${signal}: stopping everything this script started…`);
    Promise.resolve(cleanup()).finally(() => process.exit(codes[signal]));
  };
  for (const signal of Object.keys(codes)) process.on(signal, handler);
  return () => {
    for (const signal of Object.keys(codes)) process.off(signal, handler);
  };
}
