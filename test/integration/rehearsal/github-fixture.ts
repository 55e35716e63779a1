/** Shared by the GitHub fidelity suites. */
import assert from 'node:assert/strict';

/** Awaits an Octokit call that must fail with `status`; answers the error body GitHub sent. */
export async function expectStatus(promise: Promise<unknown>, status: number): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { status?: number; response?: { data?: Record<string, unknown> } };
    assert.equal(failure.status, status);
    return failure.response?.data ?? {};
  }
  assert.fail(`expected HTTP ${status}`);
}
