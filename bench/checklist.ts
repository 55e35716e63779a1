/**
 * The release checklist, first paint and update: a release of 300 journal events folded, planned and made into the
 * checklist model (the host's part), then the webview bundle (dist/webview/checklist.js, as shipped) rendering it in
 * headless Chromium up to the next painted frame. Update: one more event, the same path on a page already rendered.
 * Every phase open (the most the page renders). Baseline: a fresh page rendering a release with no phases, interleaved. The webview's postMessage hop is not part of it.
 * Usage: node --import tsx bench/checklist.ts [--runs N]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { checklistModel, type ChecklistModel } from '../src/core/checklist/model.js';
import { defaultConfig } from '../src/core/config/defaults.js';
import { foldJournal, type JournalEvent } from '../src/core/journal/index.js';
import { planRelease } from '../src/core/plan.js';
import { buildRunbook } from '../src/core/runbook/index.js';
import { emit, median, numberOptions, percentile, progress, round } from './lib/report.js';

const VERSION = '2025.4.0';
const EVENTS = 300;
const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'webview', 'checklist.js');
const { runs } = numberOptions({ runs: 15 });

/** A release well under way: steps started, with progress lines and evidence, succeeded, until there are `count` events. */
function journal(count: number): JournalEvent[] {
  const runbook = buildRunbook(VERSION, defaultConfig());
  const events: JournalEvent[] = [];
  let minute = 0;
  const add = (type: JournalEvent['type'], step?: string, data?: JournalEvent['data'], message?: string) =>
    events.push({ v: 1, time: new Date(Date.UTC(2025, 10, 10, 9, minute++)).toISOString(), actor: 'Ada <ada@example.com>', release: VERSION, type, ...(step ? { step } : {}), ...(data ? { data } : {}), ...(message ? { message } : {}) });
  add('release.started');
  for (const step of runbook.steps) {
    if (events.length >= count - 2) break;
    add('step.started', step.id);
    for (let i = 0; i < 4 && events.length < count - 2; i++) add('step.progress', step.id, { pods: i }, `progress ${i}`);
    add('step.succeeded', step.id, { branch: `release/${VERSION}`, commit: 'a'.repeat(40), pr: 42, url: 'https://github.com/o/r/pull/42' }, 'done');
  }
  while (events.length < count) add('step.progress', runbook.steps.at(-1)?.id, {}, 'still going');
  return events;
}

function model(events: readonly JournalEvent[]): ChecklistModel {
  const runbook = buildRunbook(VERSION, defaultConfig());
  return checklistModel(VERSION, runbook.phases, planRelease(runbook, foldJournal(VERSION, events)), new Date());
}

/** In the page: the host's message, then the time until the frame after next is painted (the page's own DOM types). */
const PAINT = `async (data) => {
  const started = performance.now();
  window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', model: data } }));
  const rendered = performance.now() - started;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return { rendered, painted: performance.now() - started, steps: document.querySelectorAll('section.step').length };
}`;

async function main(): Promise<void> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run node esbuild.mjs first`);
  const events = journal(EVENTS);
  const tiny: ChecklistModel = { ...model(events.slice(0, 3)), phases: [] };
  const browser = await chromium.launch({ executablePath: process.env.LENDOS_CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => progress(`page error: ${error.message}`));
    /** A fresh page with the bundle loaded, as a newly opened panel has. */
    const freshPage = async () => {
      await page.setContent('<!DOCTYPE html><html><body><main id="root"></main><div id="status"></div></body></html>');
      // Every phase open, as the person may have left them: the most the page ever renders at once.
      const state = JSON.stringify({ phases: { open: ['preparation', 'staging', 'production', 'recovery', 'dev'], closed: [] } });
      await page.addScriptTag({ content: `globalThis.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return ${state}; }, setState() {} });` });
      await page.addScriptTag({ path: bundle });
    };
    const paint = (m: ChecklistModel) => page.evaluate(`(${PAINT})(${JSON.stringify(m)})`) as Promise<{ rendered: number; painted: number; steps: number }>;
    const first: number[] = [];
    const update: number[] = [];
    const baseline: number[] = [];
    const hostMs: number[] = [];
    let steps = 0;
    let modelBytes = 0;
    for (let i = 0; i < runs; i++) {
      progress(`run ${i + 1}/${runs}`);
      await freshPage();
      baseline.push((await paint(tiny)).painted);
      let started = performance.now();
      const full = model(events);
      const host = performance.now() - started;
      hostMs.push(host);
      const painted = await paint(full);
      first.push(host + painted.painted);
      steps = painted.steps;
      modelBytes = JSON.stringify(full).length;
      started = performance.now();
      const next = model([...events, { ...events.at(-1)!, time: new Date().toISOString() }]);
      update.push(performance.now() - started + (await paint(next)).painted);
    }
    const value = round(median(first), 1);
    emit({
      name: 'checklist',
      unit: 'ms',
      value,
      baseline: { label: 'a fresh page rendering a release with no phases', value: round(median(baseline), 1) },
      details: { events: EVENTS, steps, runs, p95: round(percentile(first, 0.95), 1), updateMs: round(median(update), 1), updateP95: round(percentile(update, 0.95), 1), hostMs: round(median(hostMs), 1), modelKb: round(modelBytes / 1024, 1) },
    });
  } finally {
    await browser.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
