import type { WorldClock } from '../contracts.js';

export interface LogLine {
  time: Date;
  text: string;
}

/** A follower receives each new line, then `undefined` when the container stops or its pod is gone. */
export type LogFollower = (line: LogLine | undefined) => void;

interface ContainerLog {
  lines: LogLine[];
  previous?: LogLine[];
  running: boolean;
  followers: Set<LogFollower>;
}

/** Bounded, like a kubelet's rotated log file. */
const maxLinesPerContainer = 20_000;

/** Container output of every pod of a cluster, with live followers for `follow=true`. */
export class LogStore {
  private readonly containers = new Map<string, ContainerLog>();

  constructor(private readonly clock: WorldClock) {}

  private key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  private entry(namespace: string, pod: string, container: string): ContainerLog {
    const key = this.key(namespace, pod, container);
    let log = this.containers.get(key);
    if (!log) {
      log = { lines: [], running: false, followers: new Set() };
      this.containers.set(key, log);
    }
    return log;
  }

  /** The container (re)started: its old output becomes `previous`. */
  start(namespace: string, pod: string, container: string): void {
    const log = this.entry(namespace, pod, container);
    if (log.lines.length > 0) log.previous = log.lines;
    log.lines = [];
    log.running = true;
  }

  append(namespace: string, pod: string, container: string, text: string): void {
    const log = this.entry(namespace, pod, container);
    for (const part of text.split('\n')) {
      const line = { time: this.clock.now(), text: part };
      log.lines.push(line);
      for (const follower of log.followers) follower(line);
    }
    if (log.lines.length > maxLinesPerContainer) log.lines.splice(0, log.lines.length - maxLinesPerContainer);
  }

  /** The container stopped: followers' streams end. */
  stop(namespace: string, pod: string, container: string): void {
    const log = this.containers.get(this.key(namespace, pod, container));
    if (!log) return;
    log.running = false;
    for (const follower of log.followers) follower(undefined);
    log.followers.clear();
  }

  /** The pod is gone: its output and followers go with it. */
  forget(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [key, log] of this.containers) {
      if (!key.startsWith(prefix)) continue;
      for (const follower of log.followers) follower(undefined);
      this.containers.delete(key);
    }
  }

  lines(namespace: string, pod: string, container: string, previous: boolean): LogLine[] | undefined {
    const log = this.containers.get(this.key(namespace, pod, container));
    if (!log) return previous ? undefined : [];
    return previous ? log.previous : [...log.lines];
  }

  isRunning(namespace: string, pod: string, container: string): boolean {
    return this.containers.get(this.key(namespace, pod, container))?.running ?? false;
  }

  follow(namespace: string, pod: string, container: string, follower: LogFollower): () => void {
    const log = this.entry(namespace, pod, container);
    log.followers.add(follower);
    return () => log.followers.delete(follower);
  }

  /** Open `follow=true` streams, for tests that check nothing leaks. */
  followerCount(): number {
    let count = 0;
    for (const log of this.containers.values()) count += log.followers.size;
    return count;
  }
}

/** RFC 3339 with nanoseconds, the prefix `timestamps=true` puts on each line. */
export function formatLogTimestamp(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
