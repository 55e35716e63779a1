/**
 * One LogOutputChannel per upgrade stage and environment, reused across runs (the runbook's `kubectl logs -l …`).
 * Pod lines are outside text: the channels keep their text, never their escape sequences.
 */
import * as vscode from 'vscode';
import type { UpgradeStage } from '../core/runbook/types.js';
import { neutralise } from '../core/text.js';
import type { LogSink } from '../engine/step-types.js';
import { textOnly } from './text-only-log.js';

const ERROR = /\b(ERROR|FATAL|SEVERE)\b/;
const WARN = /\bWARN(ING)?\b/;

export class StageChannels implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.LogOutputChannel>();

  channel(environment: string, stage: UpgradeStage): vscode.LogOutputChannel {
    const name = `LendOS ${environment} · ${stage}`;
    let channel = this.channels.get(name);
    if (!channel) {
      channel = textOnly(vscode.window.createOutputChannel(name, { log: true }));
      this.channels.set(name, channel);
    }
    return channel;
  }

  /**
   * The sink a stage's pod logs stream into. Batches of pod output become one entry a line, at the level the line
   * itself names (ERROR, WARN), so the channel's level filter and colours work on the pods' own lines.
   */
  sink(environment: string, stage: UpgradeStage): LogSink {
    const channel = this.channel(environment, stage);
    return {
      info: (line) => channel.info(line),
      warn: (line) => channel.warn(line),
      error: (line) => channel.error(line),
      output: (chunk) => {
        // Pod output is outside text: neutralised (a lone \r shown as ␍) before it is split into entries.
        for (const line of neutralise(chunk).split('\n')) {
          if (line === '') continue;
          if (ERROR.test(line)) channel.error(line);
          else if (WARN.test(line)) channel.warn(line);
          else channel.info(line);
        }
      },
    };
  }

  dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
