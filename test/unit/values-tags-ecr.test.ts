import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { UserError } from '../../src/core/errors.js';
import {
  diagnose,
  factsOf,
  hoverMarkdown,
  locateTags,
  recordedTagsOf,
  recordedTagsOfPlan,
  splitRepositoryUri,
  tagReplacements,
  tagsToAsk,
  type RegistryImage,
  type RepositoryAnswer,
} from '../../src/core/values-tags/index.js';
import type { Clock, Ecr, EcrImage } from '../../src/ports.js';
import { ASK_TIMEOUT_MS, checkValuesTags, EcrFacts } from '../../src/steps/values-tags/index.js';

const STAGING = readFileSync('rehearsal/fixtures/lendos-eks-workloads/values-tags-staging.yaml', 'utf8');
const BACKEND = 'right-pedal/lendos-portal-backend';
const CONFIGURED = { 'lendos-portal-backend': BACKEND };

const row = (tag: string, day: number, digest = `sha256:${tag}`): RegistryImage => ({ tag, digest, sizeBytes: 200 * 1024 * 1024, pushedAt: `2025-05-${String(day).padStart(2, '0')}T10:00:00.000Z` });

/** ECR of a few repositories in memory, counting the calls it answers. */
class MemoryEcr implements Ecr {
  describes = 0;
  lists = 0;
  failWith: Error | undefined;
  failListWith: Error | undefined;
  constructor(readonly repos: Record<string, EcrImage[]>) {}
  async describeImages(repository: string, tags: readonly string[]): Promise<EcrImage[]> {
    this.describes += 1;
    if (this.failWith) throw this.failWith;
    return this.repo(repository).filter((i) => tags.includes(i.tag));
  }
  async listImages(repository: string): Promise<EcrImage[]> {
    this.lists += 1;
    if (this.failWith ?? this.failListWith) throw this.failWith ?? this.failListWith;
    return this.repo(repository);
  }
  private repo(name: string): EcrImage[] {
    const images = this.repos[name];
    if (!images) throw new UserError(`ECR has no repository ${name}`, 'ecr-repository-missing');
    return images;
  }
}

/** A clock that moves only when told; its waits end when it has moved far enough, or when their signal aborts. */
function manualClock(start = Date.parse('2025-06-01T00:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  const waits: { due: number; resolve: () => void }[] = [];
  return {
    now: () => new Date(now),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        waits.push({ due: now + ms, resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    advance: (ms) => {
      now += ms;
      for (const wait of waits.filter((w) => w.due <= now)) wait.resolve();
    },
  };
}

describe('values-tags: ECR facts of a tag', () => {
  it('splits an image repository into registry and ECR repository name', () => {
    assert.deepEqual(splitRepositoryUri(`381492038457.dkr.ecr.us-east-1.amazonaws.com/${BACKEND}`), { registry: '381492038457.dkr.ecr.us-east-1.amazonaws.com', repository: BACKEND });
    assert.deepEqual(splitRepositoryUri(BACKEND), { repository: BACKEND });
    assert.deepEqual(splitRepositoryUri('localhost:5000/app'), { registry: 'localhost:5000', repository: 'app' });
  });

  it('tells the other tags of the digest, the newest image and how many builds came after', () => {
    const listing = [row('v0.0.811', 1), row('v0.0.812', 2), row('latest-main', 2, 'sha256:v0.0.812'), row('v0.0.813', 3), row('v0.0.814', 4), row('main', 4, 'sha256:v0.0.814')];
    const facts = factsOf(BACKEND, 'v0.0.812', row('v0.0.812', 2), listing, { release: '2025.4.0', tag: 'v0.0.814' });
    assert.deepEqual(facts.otherTags, ['latest-main']);
    assert.deepEqual(facts.standing, { newestTags: ['main', 'v0.0.814'], newestPushedAt: '2025-05-04T10:00:00.000Z', newerBuilds: 2 });
    assert.equal(factsOf(BACKEND, 'v0.0.814', row('v0.0.814', 4), listing).standing?.newerBuilds, 0);
    assert.equal(factsOf(BACKEND, 'v0.0.812', row('v0.0.812', 2), undefined).standing, undefined, 'not known before the listing');
  });

  it('reads the recorded tags of 2.2 defensively', () => {
    const evidence = { tags: { 'lendos-portal-backend': { tag: 'v0.0.829', pushedAt: '2025-05-30T00:00:00Z', digest: 'sha256:x' }, broken: { tag: 7 }, other: 'x' } };
    assert.deepEqual(recordedTagsOf('2025.4.0', evidence), { 'lendos-portal-backend': { release: '2025.4.0', tag: 'v0.0.829', pushedAt: '2025-05-30T00:00:00Z', digest: 'sha256:x' } });
    assert.deepEqual(recordedTagsOf('2025.4.0', null), {});
    assert.deepEqual(recordedTagsOf('2025.4.0', { tags: [] }), {});
    const plan = [{ step: { id: 'staging.merge-to-main' }, state: { evidence: evidence } }, { step: { id: 'staging.identify-tags' }, state: { evidence } }];
    assert.deepEqual(Object.keys(recordedTagsOfPlan('2025.4.0', plan)), ['lendos-portal-backend']);
    assert.deepEqual(recordedTagsOfPlan('2025.4.0', plan.slice(0, 1)), {}, 'only 2.2 Identify built artifact tags counts');
  });

  it('escapes every outside string in the hover and links only the copy command', () => {
    const evil = 'v1*[x](command:workbench.action.terminal.new)';
    const markdown = hoverMarkdown({
      service: 'lendos-portal-backend',
      imageUri: `registry.example/${BACKEND}:v0.0.812`,
      counting: true,
      facts: factsOf(BACKEND, 'v0.0.812', { ...row('v0.0.812', 2), digest: `sha256:\u001b]0;pwned\u0007${evil}` }, undefined, { release: '2025.4.0', tag: evil }),
    });
    assert.doesNotMatch(markdown, /\]\(command:workbench/);
    assert.ok(!markdown.includes('\u001b') && !markdown.includes('\u0007'), 'no escape sequence');
    assert.deepEqual([...markdown.matchAll(/\]\((command:[^)?]*)/g)].map((m) => m[1]), ['command:lendos.copyImageUri']);
    assert.match(markdown, /counting newer builds…/);
    assert.match(markdown, /Size: 200\\\.0 MB/);
    const link = /command:lendos\.copyImageUri\?([^)]*)\)/.exec(markdown)?.[1] ?? '';
    assert.deepEqual(JSON.parse(decodeURIComponent(link)), [`registry.example/${BACKEND}:v0.0.812`]);
  });
});

describe('values-tags: diagnostics', () => {
  const located = locateTags(STAGING);
  const recorded = { 'lendos-portal-backend': { release: '2025.4.0', tag: 'v0.0.829', pushedAt: '2025-05-29T10:00:00.000Z' } };
  const only = (answer: RepositoryAnswer) => new Map([[BACKEND, answer]]);

  it('asks each repository once for its tags, from the repository: value', () => {
    assert.deepEqual([...tagsToAsk(located, {})].map(([r, t]) => `${r}=${t.join(',')}`), [
      `${BACKEND}=v0.0.812`,
      'right-pedal/lendos-portal-frontend=v0.0.548',
      'right-pedal/signing-portal-backend=v0.0.806',
      'right-pedal/signing-portal-frontend=v0.0.541',
    ]);
  });

  it('a missing tag is an error with the recorded tag as its fix; an older one a warning', () => {
    const missing = diagnose({ text: STAGING, located, recorded, configured: CONFIGURED, answers: only({ kind: 'images', found: new Map() }) });
    assert.deepEqual(missing.map((d) => [d.severity, d.code, d.line, d.column, d.fix]), [['error', 'tag-missing', 8, 12, 'v0.0.829']]);
    assert.equal(STAGING.slice(missing[0]?.start, missing[0]?.end), 'v0.0.812');
    const older = diagnose({ text: STAGING, located, recorded, configured: CONFIGURED, answers: only({ kind: 'images', found: new Map([['v0.0.812', row('v0.0.812', 2)]]) }) });
    assert.deepEqual(older.map((d) => [d.severity, d.code, d.fix]), [['warning', 'tag-older', 'v0.0.829']]);
    const same = { 'lendos-portal-backend': { ...recorded['lendos-portal-backend'], tag: 'v0.0.812' } };
    assert.deepEqual(diagnose({ text: STAGING, located, recorded: same, configured: CONFIGURED, answers: only({ kind: 'images', found: new Map([['v0.0.812', row('v0.0.812', 2)]]) }) }), []);
  });

  it('ECR out of reach is one note for the file, however many repositories failed', () => {
    const down: RepositoryAnswer = { kind: 'unavailable', message: 'AWS credentials for profile "p" are missing or expired. Log in with `aws sso login --profile p`' };
    const answers = new Map([...tagsToAsk(located, {}).keys()].map((r) => [r, down]));
    const found = diagnose({ text: STAGING, located, recorded, configured: {}, answers });
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.line]), [['info', 'ecr-unavailable', 8]]);
    assert.match(found[0]?.message ?? '', /aws sso login --profile p/);
  });

  it('checks ECR images only: another registry’s image is left alone, a tag without any repository is noted', () => {
    const text = 'argo:\n  image:\n    repository: quay.io/argoproj/argocd\n    tag: v2.9.0\nlendos-portal:\n  backend:\n    image:\n      repository: 381492038457.dkr.ecr.us-east-1.amazonaws.com/right-pedal/lendos-portal-backend\n      tag: v0.0.812\nmystery:\n  image:\n    tag: v1\n';
    const here = locateTags(text);
    assert.deepEqual([...tagsToAsk(here, {}).keys()], [BACKEND]);
    const found = diagnose({ text, located: here, recorded: {}, configured: {}, answers: only({ kind: 'images', found: new Map([['v0.0.812', row('v0.0.812', 2)]]) }) });
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.line]), [['info', 'repository-unknown', 12]]);
  });

  it('malformed YAML is one error where the parser stopped', () => {
    const text = 'a:\n  image:\n    tag: v1\n  image: twice\n';
    const found = diagnose({ text, located: locateTags(text), recorded, configured: {}, answers: new Map() });
    assert.equal(found.length, 1);
    assert.deepEqual([found[0]?.severity, found[0]?.code, found[0]?.line], ['error', 'yaml', 4]);
  });
});

describe('values-tags: the ECR facts cache', () => {
  const images = [row('v0.0.811', 1), row('v0.0.812', 2), row('v0.0.813', 3)];

  it('answers a tag at once, counts newer builds in the background, then serves both from the cache until the TTL', async () => {
    const ecr = new MemoryEcr({ [BACKEND]: images });
    const clock = manualClock();
    const facts = new EcrFacts(async () => ecr, clock, 60_000);
    const first = await facts.facts(BACKEND, 'v0.0.812');
    assert.equal(first.counting, true);
    assert.equal(first.facts.image?.digest, 'sha256:v0.0.812');
    await facts.listing(BACKEND);
    const second = await facts.facts(BACKEND, 'v0.0.812');
    assert.deepEqual([second.counting, second.facts.standing?.newerBuilds], [false, 1]);
    assert.deepEqual([ecr.describes, ecr.lists], [1, 1]);
    clock.advance(60_001);
    const stale = await facts.facts(BACKEND, 'v0.0.812');
    assert.equal(stale.counting, true, 'a stale listing is not used');
    await facts.listing(BACKEND);
    assert.deepEqual([ecr.describes, ecr.lists], [2, 2], 'the tag and the repository are asked again');
  });

  it('a listing that fails leaves the tag’s facts and says why newer builds are not known', async () => {
    const ecr = new MemoryEcr({ [BACKEND]: images });
    ecr.failListWith = new Error('connect ECONNREFUSED');
    const facts = new EcrFacts(async () => ecr, manualClock());
    assert.equal((await facts.facts(BACKEND, 'v0.0.812')).counting, true);
    await facts.listing(BACKEND).catch(() => undefined);
    const after = await facts.facts(BACKEND, 'v0.0.812');
    assert.deepEqual([after.counting, after.countError, after.facts.image?.tag], [false, 'connect ECONNREFUSED', 'v0.0.812']);
    assert.equal(ecr.lists, 1, 'a failed listing is not asked again within the TTL');
  });

  it('gives up on an ECR that never answers after ASK_TIMEOUT_MS, and the check says so once', async () => {
    const silent: Ecr = { describeImages: () => new Promise(() => undefined), listImages: () => new Promise(() => undefined) };
    const clock = manualClock();
    const facts = new EcrFacts(async () => silent, clock);
    const asked = facts.facts(BACKEND, 'v0.0.812');
    const checked = checkValuesTags({ text: STAGING, facts, recorded: {}, configured: {} });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(ASK_TIMEOUT_MS);
    await assert.rejects(asked, /ECR did not answer for right-pedal\/lendos-portal-backend:v0\.0\.812 within 8 s/);
    assert.deepEqual((await checked).map((d) => [d.severity, d.code]), [['info', 'ecr-unavailable']]);
  });

  it('the checker tells a missing repository (error per tag) from ECR out of reach (one note)', async () => {
    const ecr = new MemoryEcr({ [BACKEND]: images, 'right-pedal/signing-portal-frontend': [] });
    const facts = new EcrFacts(async () => ecr, manualClock());
    const found = await checkValuesTags({ text: STAGING, facts, recorded: {}, configured: {} });
    assert.deepEqual(found.map((d) => [d.code, d.line]), [['repository-missing', 14], ['repository-missing', 21], ['tag-missing', 26]]);
    ecr.failWith = new Error('getaddrinfo ENOTFOUND api.ecr.us-east-1.amazonaws.com');
    const down = await checkValuesTags({ text: STAGING, facts: new EcrFacts(async () => ecr, manualClock()), recorded: {}, configured: {} });
    assert.deepEqual(down.map((d) => [d.severity, d.code]), [['info', 'ecr-unavailable']]);
  });
});

describe('values-tags: the quick fix’s edit', () => {
  it('replaces only the tag scalar of the service, in its quoting, whatever the line endings', () => {
    const text = "a:\r\n  image:\r\n    repository: r/a\r\n    tag: 'v1'   # pinned\r\nb:\r\n  image:\r\n    tag: v2\r\n";
    const replacements = tagReplacements('values-tags-x.yaml', text, 'a', 'v0.0.9');
    assert.deepEqual(replacements, [{ start: text.indexOf("'v1'"), end: text.indexOf("'v1'") + 4, text: "'v0.0.9'" }]);
    assert.deepEqual(tagReplacements('values-tags-x.yaml', text, 'b', 'v2'), [], 'nothing when the tag is already there');
    const fixed = replacements.reduce((t, r) => t.slice(0, r.start) + r.text + t.slice(r.end), text);
    assert.equal(fixed, text.replace("'v1'", "'v0.0.9'"));
  });
});
