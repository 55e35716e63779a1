/** One LogOutputChannel per upgrade stage and environment, reused across runs (the runbook's `kubectl logs -l …`). */
import * as vscode from 'vscode';
import type { UpgradeStage } from '../core/runbook/types.js';
import type { LogSink } from '../engine/step-types.js';

export class StageChannels implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.LogOutputChannel>();

  channel(environment: string, stage: UpgradeStage): vscode.LogOutputChannel {
    const name = `LendOS ${environment} · ${stage}`;
    let channel = this.channels.get(name);
    if (!channel) {
      channel = vscode.window.createOutputChannel(name, { log: true });
      this.channels.set(name, channel);
    }
    return channel;
  }

  /** The sink a stage's pod logs stream into; process output arrives in batches and is appended as is. */
  sink(environment: string, stage: UpgradeStage): LogSink {
    const channel = this.channel(environment, stage);
    return {
      info: (line) => channel.info(line),
      warn: (line) => channel.warn(line),
      error: (line) => channel.error(line),
      output: (chunk) => channel.append(chunk),
    };
  }

  dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
