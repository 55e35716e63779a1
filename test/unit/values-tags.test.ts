import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { applyTagEdits, locateTags } from '../../src/core/values-tags/index.js';
import { UserError } from '../../src/core/errors.js';

const STAGING = readFileSync('rehearsal/fixtures/lendos-eks-workloads/values-tags-staging.yaml', 'utf8');
const RELEASE = { 'lendos-portal-backend': 'v0.0.830', 'lendos-portal-frontend': 'v0.0.568', 'signing-portal-backend': 'v0.0.815', 'signing-portal-frontend': 'v0.0.553' };

/** The lines that differ, as `line: before → after`. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'no line added or removed');
  return a.flatMap((line, i) => (line === b[i] ? [] : [`${i + 1}: ${line} → ${b[i]}`]));
}

describe('values-tags: the tags and their exact edit', () => {
  it('finds each service’s tag with its repository, position and quoting', () => {
    const { sites, problems } = locateTags(STAGING);
    assert.deepEqual(problems, []);
    assert.deepEqual(sites.map((s) => [s.service, s.tag, s.line, s.quote]), [
      ['lendos-portal-backend', 'v0.0.812', 8, 'plain'],
      ['lendos-portal-frontend', 'v0.0.548', 14, 'plain'],
      ['signing-portal-backend', 'v0.0.806', 21, 'plain'],
      ['signing-portal-frontend', 'v0.0.541', 26, 'plain'],
    ]);
    assert.equal(sites[0]?.repository, '381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-backend');
    assert.equal(STAGING.slice(sites[3]?.start, sites[3]?.end), 'v0.0.541');
  });

  it('changes only the four tag scalars: comments, 0755, flow sequences and trailing comments keep every byte', () => {
    const { text, changes } = applyTagEdits('values-tags-staging.yaml', STAGING, RELEASE);
    assert.deepEqual(changedLines(STAGING, text), [
      '8:       tag: v0.0.812 →       tag: v0.0.830',
      '14:       tag: v0.0.548 →       tag: v0.0.568',
      '21:       tag: v0.0.806 →       tag: v0.0.815',
      '26:       tag: v0.0.541   # pinned with the backend, see release notes 2025.3.0 →       tag: v0.0.553   # pinned with the backend, see release notes 2025.3.0',
    ]);
    assert.deepEqual(changes.map((c) => `${c.service} ${c.from}→${c.to} @${c.line}`), [
      'lendos-portal-backend v0.0.812→v0.0.830 @8',
      'lendos-portal-frontend v0.0.548→v0.0.568 @14',
      'signing-portal-backend v0.0.806→v0.0.815 @21',
      'signing-portal-frontend v0.0.541→v0.0.553 @26',
    ]);
  });

  it('keeps a BOM, CRLF line endings, quoting, anchors and aliases', () => {
    const text = '\uFEFF# top\r\nbase: &base\r\n  pullPolicy: IfNotPresent\r\napp:\r\n  web:\r\n    <<: *base\r\n    image: { repository: r/web, tag: "v1.2.3" }\r\n  api:\r\n    image:\r\n      tag: \'v1\'  # quoted\r\n';
    const { text: edited } = applyTagEdits('f.yaml', text, { 'app-web': 'v1.2.4', 'app-api': 'v2' });
    assert.equal(edited, text.replace('"v1.2.3"', '"v1.2.4"').replace("'v1'", "'v2'"));
  });

  it('quotes a plain tag that YAML would read as a number', () => {
    const { text } = applyTagEdits('f.yaml', 'svc:\n  image:\n    tag: latest\n', { svc: '1.10' });
    assert.equal(text, 'svc:\n  image:\n    tag: "1.10"\n');
  });

  it('refuses malformed YAML (line and column), duplicate keys, an unknown service and a bad tag — changing nothing', () => {
    const refuse = (text: string, tags: Record<string, string>, pattern: RegExp) =>
      assert.throws(() => applyTagEdits('values-tags-staging.yaml', text, tags), (e: Error) => e instanceof UserError && pattern.test(e.message));
    refuse('svc:\n  image:\n    tag: [v1\n', { svc: 'v2' }, /not valid YAML at line \d+, column \d+: .*nothing was changed/);
    refuse('svc:\n  image:\n    tag: v1\n    tag: v2\n', { svc: 'v3' }, /not valid YAML at line 4, column 5: Map keys must be unique/);
    refuse(STAGING, { 'pqs-backend': 'v1' }, /has no image tag for pqs-backend \(it has: lendos-portal-backend, .*\)/);
    refuse(STAGING, { 'lendos-portal-backend': 'v0.0.830 ; rm -rf /' }, /is not an image tag/);
    refuse(STAGING, { 'lendos-portal-backend': '-v1' }, /is not an image tag/);
  });
});

describe('the workloads clone: where to clone it from', () => {
  it('is the lendos origin with the sibling repository name, for https, ssh and local remotes', async () => {
    const { siblingRemoteUrl } = await import('../../src/steps/values-tags/clone.js');
    assert.equal(siblingRemoteUrl('https://github.com/rplendos/lendos.git', 'lendos-eks-workloads'), 'https://github.com/rplendos/lendos-eks-workloads.git');
    assert.equal(siblingRemoteUrl('git@github.com:rplendos/lendos.git', 'lendos-eks-workloads'), 'git@github.com:rplendos/lendos-eks-workloads.git');
    assert.equal(siblingRemoteUrl('https://github.com/rplendos/lendos/', 'lendos-eks-workloads'), 'https://github.com/rplendos/lendos-eks-workloads');
    assert.equal(siblingRemoteUrl('/srv/remotes/lendos.git', 'lendos-eks-workloads'), '/srv/remotes/lendos-eks-workloads.git');
    assert.equal(siblingRemoteUrl('lendos', 'lendos-eks-workloads'), undefined);
  });
});
