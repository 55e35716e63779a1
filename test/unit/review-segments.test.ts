import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { changedSegments } from '../../src/vscode/review-segments.js';

describe('a proposed change, as spans of its lines', () => {
  it('marks the changed words of each changed line, with the new text', () => {
    const before = '# tags\nweb:\n  image:\n    tag: v0.0.812   # pinned\napi:\n  image:\n    tag: "v1"\n';
    const after = '# tags\nweb:\n  image:\n    tag: v0.0.830   # pinned\napi:\n  image:\n    tag: "v2"\n';
    assert.deepEqual(changedSegments(before, after), [
      { line: 3, start: 9, end: 17, after: 'v0.0.830' },
      { line: 6, start: 10, end: 12, after: 'v2' },
    ]);
  });

  it('keeps CRLF lines whole and says nothing when the line count changes', () => {
    assert.deepEqual(changedSegments('a: 1\r\nb: 2\r\n', 'a: 1\r\nb: 3\r\n'), [{ line: 1, start: 3, end: 4, after: '3' }]);
    assert.equal(changedSegments('a\nb\n', 'a\nb\nc\n'), undefined);
    assert.deepEqual(changedSegments('same\n', 'same\n'), []);
  });
});
