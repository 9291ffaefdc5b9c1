// Supply-chain guards. Front matter must never be evaluated: readers such as gray-matter run `---js` blocks
// through `eval`, so none of them may ship with the extension. The vulnerability audit of the runtime tree is
// `npm run audit` (it needs the registry's advisory endpoint, which not every mirror serves).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

/** Packages that evaluate front matter as code (`---js`/`---javascript`/`---coffee` engines) or wrap one that does. */
const EVALUATING_FRONTMATTER = ['gray-matter', 'front-matter', 'yaml-front-matter', 'frontmatter', 'js-yaml-front-matter', 'vfile-matter'];

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  version?: string;
}

function runtimePackages(): Map<string, LockPackage> {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockPackage> };
  assert.ok(lock.lockfileVersion >= 2, 'package-lock.json v2+ lists every installed package with its dev flag');
  const runtime = new Map<string, LockPackage>();
  for (const [location, pkg] of Object.entries(lock.packages)) {
    if (location === '' || pkg.dev || pkg.devOptional) continue;
    runtime.set(location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length), pkg);
  }
  return runtime;
}

describe('dependencies', function () {
  this.timeout(120_000);

  it('the runtime tree is read from the lockfile and contains the declared dependencies', () => {
    const runtime = runtimePackages();
    const declared = Object.keys((JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const name of declared) assert.ok(runtime.has(name), `${name} is a runtime dependency in the lockfile`);
  });

  it('no runtime dependency evaluates front matter', () => {
    const runtime = runtimePackages();
    const found = EVALUATING_FRONTMATTER.filter((name) => runtime.has(name));
    assert.deepEqual(found, [], `front-matter readers that can evaluate code are in the runtime tree: ${found.join(', ')}`);
  });
});
