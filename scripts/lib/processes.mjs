// Child processes for the harness scripts: plain runs, detached process groups, and cleanup on Ctrl-C.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

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

/**
 * Runs a long command with its output in `logFile` and one progress line on the terminal (`label… 42 s`, rewritten in
 * place on a TTY, else every 30 s). On failure the error names the log and carries its last lines. `append` adds to
 * the log instead of starting it afresh (several commands, one log).
 */
export function runLogged(command, args, { logFile, label, append = false, ...options }) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: append ? 'a' : 'w' });
  const startedAt = performance.now();
  const tty = process.stdout.isTTY;
  const seconds = () => Math.round((performance.now() - startedAt) / 1000);
  const timer = setInterval(() => {
    if (tty) process.stdout.write(`\r${label}… ${seconds()} s`);
    else if (seconds() % 30 === 0) console.log(`${label}… ${seconds()} s`);
  }, 1000);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const finish = (error) => {
      clearInterval(timer);
      if (tty) process.stdout.write(`\r${label}… ${seconds()} s${error ? '' : ', done'}\n`);
      log.end(() => {
        if (!error) return resolve();
        const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
        // The lines that name the cause (node-gyp's "gyp:", npm's "ERR!") come first, then the last lines.
        const causes = lines.filter((line) => /^gyp: |gyp ERR! (stack )?Error|npm (ERR!|error) (code|path|command)/.test(line)).slice(0, 8);
        const tail = [...causes, ...(causes.length ? ['…'] : []), ...lines.slice(-10)].join('\n');
        reject(new Error(`${error}; its output is in ${logFile}, ending:\n${tail}`));
      });
    };
    child.on('error', (error) => finish(error.message));
    child.on('exit', (code, signal) => finish(code === 0 ? undefined : `${command} ${args.join(' ')} exited with ${signal ?? code}`));
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
