import assert from 'node:assert/strict';
import path from 'node:path';
import { build } from 'esbuild';
import { Cancelled, Declined } from '../../src/engine/step-types.js';
import { UserError } from '../../src/core/errors.js';
import { KubeConflict } from '../../src/ports.js';

type Classes = { UserError: typeof UserError; Cancelled: typeof Cancelled; Declined: typeof Declined; KubeConflict: typeof KubeConflict };

/** Bundles the error classes on their own, as each lazy bundle does: a second copy of every class. */
async function bundledCopy(): Promise<Classes> {
  const entry = `export { UserError } from './src/core/errors.ts'; export { Cancelled, Declined } from './src/engine/step-types.ts'; export { KubeConflict } from './src/ports.ts';`;
  const result = await build({
    stdin: { contents: entry, resolveDir: path.resolve('.'), loader: 'ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} as Classes };
  new Function('module', 'exports', 'require', result.outputFiles[0]?.text ?? '')(module, module.exports, require);
  return module.exports;
}

describe('errors keep one identity across bundles', () => {
  let copy: Classes;
  before(async () => (copy = await bundledCopy()));

  it('the copy is a different class, as in another bundle', () => {
    assert.notEqual(copy.UserError, UserError);
  });

  it('instanceof holds both ways for every shared error', () => {
    const pairs: [new (message: string) => Error, new (message: string) => Error][] = [
      [UserError, copy.UserError],
      [Cancelled, copy.Cancelled],
      [Declined, copy.Declined],
      [KubeConflict, copy.KubeConflict],
    ];
    for (const [ours, theirs] of pairs) {
      assert.ok(new theirs('x') instanceof ours, `${ours.name} from another bundle`);
      assert.ok(new ours('x') instanceof theirs, `${ours.name} into another bundle`);
    }
  });

  it('kinds stay apart, a reason survives, and plain errors are none of them', () => {
    const error = new copy.UserError('held', 'lock-held');
    assert.equal(error instanceof UserError && error.reason, 'lock-held');
    assert.ok(!(new copy.Cancelled('x') instanceof Declined));
    assert.ok(!(new copy.KubeConflict('x') instanceof UserError));
    assert.ok(!(new Error('x') instanceof UserError));
    assert.ok(!((null as unknown) instanceof UserError) && !(('text' as unknown) instanceof UserError));
    assert.ok(new copy.UserError('x') instanceof Error);
  });
});
