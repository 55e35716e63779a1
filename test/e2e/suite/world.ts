/** What the e2e suites do by hand in the rehearsal world, as a person would: the product approver's comment. */
import { readFileSync } from 'node:fs';

/** The product approver (luis-product, with the world's approver token) comments on a pull request of lendos. */
export async function commentAsApprover(pr: number, body: string): Promise<void> {
  const world = JSON.parse(readFileSync(process.env.LENDOS_E2E_WORLD ?? '', 'utf8')) as { github: { apiUrl: string; owner: string; approverToken: string } };
  const response = await fetch(`${world.github.apiUrl}/repos/${world.github.owner}/lendos/issues/${pr}/comments`, {
    method: 'POST',
    headers: { authorization: `token ${world.github.approverToken}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
    body: JSON.stringify({ body }),
  });
  if (response.status !== 201) throw new Error(`commenting on #${pr} answered ${response.status}: ${await response.text()}`);
}
