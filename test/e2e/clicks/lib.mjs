// What the by-hand flows do the same way: ▶ on a step's row, a modal, a row that reads "done". Not a flow itself
// (it exports no `run`): scripts/lib/click-flows.mjs skips it.

/** Hovers the step's row (a locator) and clicks its ▶ (inline actions show only on hover); a redraw just then asks which step. */
export async function runStep(page, row, stepTitle) {
  await row.waitFor({ timeout: 30_000 });
  // The tree redraws as the journal moves; a person clicks once it stands still.
  await page.waitForTimeout(1_000);
  await row.hover();
  await row.locator('.action-label[aria-label^="Run Step"]').click();
  const picker = page.locator('.quick-input-widget .monaco-list-row', { hasText: stepTitle }).first();
  if (await picker.waitFor({ timeout: 2_000 }).then(() => true, () => false)) await picker.click();
}

/** The modal dialog asking `question`, once it shows. */
export async function modal(page, question, timeout = 30_000) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: question });
  await dialog.waitFor({ timeout });
  return dialog;
}

/** Waits until the step's row (a locator) reads "done"; fails with what it reads instead. */
export async function waitDone(page, row, stepTitle, timeout = 60_000) {
  const description = row.locator('.label-description');
  try {
    await page.waitForFunction((element) => element?.textContent?.startsWith('done'), await description.elementHandle({ timeout: 30_000 }), { timeout });
  } catch (error) {
    const text = await description.textContent().catch(() => '(no row)');
    throw new Error(`${stepTitle} is not done: it reads "${text}" (${error.message.split('\n')[0]})`);
  }
}
