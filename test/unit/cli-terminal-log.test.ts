import assert from 'node:assert/strict';
import type { Output } from '../../src/cli/output.js';
import { terminalLog } from '../../src/cli/terminal-prompt.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('lendos run: step output in a terminal', () => {
  const recording = () => {
    const written: string[] = [];
    const out: Output = {
      line: (text) => written.push(`line:${text}`),
      json: () => undefined,
      warn: (text) => written.push(`warn:${text}`),
      error: (text) => written.push(`error:${text}`),
    };
    return { written, log: terminalLog(out, (text) => written.push(text)) };
  };

  it('writes process output neutralised, a sequence split across chunks included', () => {
    const { written, log } = recording();
    log.output('Holder: mallory\x1b[2');
    log.output('K\r\x1b[32m✔ succeeded\x1b[0m\x1b]0;pw');
    log.output('ned\x07\r');
    log.output('\n', 'stderr');
    log.output('done\n');
    const text = written.join('');
    assert.doesNotMatch(text, CONTROL);
    assert.equal(text, 'Holder: mallory␛\n✔ succeeded␛\n\ndone\n');
  });

  it('lets out what a process left unfinished, inert, before a line of the step', () => {
    const { written, log } = recording();
    log.output('50%\r');
    log.output('partial \x1b]0;title');
    log.info('Scaled down.');
    assert.deepEqual(written, ['50%', '\npartial ', '␛0;title', 'line:Scaled down.']);
  });
});
