/**
 * A step's live output: a pseudoterminal that shows process output as it arrives (with the exit code), and the
 * same lines in the LendOS log channel so they survive the terminal being closed. Lines and process output carry
 * cluster data: they are neutralised (src/core/text.ts) before our own colours are put around them, and a sequence
 * split across two chunks is held back until it is whole.
 */
import * as vscode from 'vscode';
import { NeutralisingStream, neutralise } from '../core/text.js';
import type { LogSink } from '../engine/step-types.js';

const RESET = '\x1b[0m';
const COLORS = { info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' } as const;

export class StepTerminal implements LogSink, vscode.Disposable {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly buffered: string[] = [];
  private readonly streams = { stdout: new NeutralisingStream(), stderr: new NeutralisingStream() };
  private opened = false;
  private closed = false;
  readonly terminal: vscode.Terminal;

  constructor(
    title: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writer.event,
      open: () => {
        this.opened = true;
        for (const chunk of this.buffered.splice(0)) this.writer.fire(chunk);
      },
      close: () => {
        this.opened = false;
        this.closed = true;
      },
    };
    this.terminal = vscode.window.createTerminal({ name: title, pty, iconPath: new vscode.ThemeIcon('rocket') });
  }

  /** Whether the person closed the terminal (its panel is gone; a new run needs a new one). */
  get isClosed(): boolean {
    return this.closed || this.terminal.exitStatus !== undefined;
  }

  private write(text: string): void {
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writer.fire(crlf);
    else this.buffered.push(crlf);
  }

  /** One line, neutralised, in our colour; what a process left unfinished is let out (inert) before it. */
  private line(level: keyof typeof COLORS, line: string): void {
    for (const stream of ['stdout', 'stderr'] as const)
      this.writeOutput(this.streams[stream].flush(), stream);
    const safe = neutralise(line);
    this.log[level](safe);
    this.write(`${COLORS[level]}${safe}${RESET}\n`);
  }

  /** Process output, already neutralised by its stream. */
  private writeOutput(text: string, stream: 'stdout' | 'stderr'): void {
    if (text === '') return;
    for (const line of text.split('\n')) if (line.trim()) this.log.trace(`[${stream}] ${line}`);
    this.write(stream === 'stderr' ? `${COLORS.warn}${text}${RESET}` : text);
  }

  info(line: string): void {
    this.line('info', line);
  }

  warn(line: string): void {
    this.line('warn', line);
  }

  error(line: string): void {
    this.line('error', line);
  }

  output(chunk: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.writeOutput(this.streams[stream].push(chunk), stream);
  }

  dispose(): void {
    this.writer.dispose();
  }
}

/** One terminal per release, named after it; each run starts under a rule naming its step. Closed, the next run opens another. */
export class StepTerminals implements vscode.Disposable {
  private readonly terminals = new Map<string, StepTerminal>();
  private readonly closing: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.closing = vscode.window.onDidCloseTerminal((closed) => {
      for (const [version, terminal] of this.terminals) {
        if (terminal.terminal !== closed) continue;
        terminal.dispose();
        this.terminals.delete(version);
      }
    });
  }

  for(version: string): StepTerminal {
    const existing = this.terminals.get(version);
    if (existing && !existing.isClosed) return existing;
    existing?.dispose();
    const terminal = new StepTerminal(`LendOS ${version}`, this.log);
    this.terminals.set(version, terminal);
    return terminal;
  }

  dispose(): void {
    this.closing.dispose();
    for (const terminal of this.terminals.values()) {
      terminal.terminal.dispose();
      terminal.dispose();
    }
    this.terminals.clear();
  }
}
