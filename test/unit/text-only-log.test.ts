import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { textOnly } from '../../src/vscode/text-only-log.js';

describe('log channels keep text, never escapes', () => {
  it('neutralises what every writing method is given and leaves the rest of the channel alone', () => {
    const written: string[] = [];
    const fake = {
      name: 'LendOS',
      info(message: string) {
        written.push(`info ${message} ${this === fake}`);
      },
      error(message: string | Error) {
        written.push(`error ${String(message)}`);
      },
      appendLine(message: string) {
        written.push(`line ${message}`);
      },
      show() {
        written.push(`show ${this === fake}`);
      },
    };
    const log = textOnly(fake as unknown as vscode.LogOutputChannel);
    log.info('held by mallory\x1b[2K\r\x1b]0;pwned\x07');
    log.error(new Error('boom\x1b[31m!'));
    log.appendLine('\u009b2Kline');
    log.show();
    assert.equal(log.name, 'LendOS');
    assert.equal(written[0], 'info held by mallory␛␍␛ true');
    assert.match(written[1] ?? '', /^error Error: boom!\n/);
    assert.deepEqual(written.slice(2), ['line ␛line', 'show true']);
  });
});
