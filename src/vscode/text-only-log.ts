/** Log channels keep text, never escapes: a LogOutputChannel whose every message is neutralised (src/core/text.ts). */
import type * as vscode from 'vscode';
import { neutralise } from '../core/text.js';

type Method = (...args: unknown[]) => unknown;

const WRITES = new Set<PropertyKey>([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'append',
  'appendLine',
  'replace',
]);

function safe(value: unknown): unknown {
  if (typeof value === 'string') return neutralise(value);
  if (value instanceof Error) return neutralise(value.stack ?? value.message);
  return value;
}

/** `channel` with its writing methods neutralising what they are given; everything else is the channel's own. */
export function textOnly(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const wrapped = new Map<PropertyKey, Method>();
  return new Proxy(channel, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = wrapped.get(property);
      if (!method) {
        const own = value as Method;
        method = WRITES.has(property) ? (...args) => own.apply(target, args.map(safe)) : own.bind(target);
        wrapped.set(property, method);
      }
      return method;
    },
  });
}
