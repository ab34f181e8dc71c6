import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apexMethodNames } from '../server/apex/index.ts';
import { buildWorkbench, type BuiltBundle } from './bundle.ts';

const here = dirname(fileURLToPath(import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('__tests__'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A digest of everything the bundle is made from: the components, the labels, the workbench, the versions. */
function inputsDigest(projectDir: string): string {
  const hash = createHash('sha256');
  const inputs = [
    ...files(join(projectDir, 'force-app/main/default/lwc')),
    join(projectDir, 'force-app/main/default/labels/CustomLabels.labels-meta.xml'),
    ...files(resolve(here, '../client')),
    ...files(here),
  ];
  for (const file of inputs) {
    hash.update(relative(projectDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  hash.update([...apexMethodNames()].sort().join(','));
  for (const pkg of ['lwc', '@lwc/rollup-plugin', 'lightning-base-components', 'rollup']) {
    const manifest = join(projectDir, 'node_modules', pkg, 'package.json');
    hash.update(
      existsSync(manifest)
        ? `${pkg}@${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`
        : pkg,
    );
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * The workbench bundle, rebuilt only when an input changed (a full build takes tens of seconds on two cores);
 * kept in `node_modules/.cache/teams-bridge-workbench/`.
 */
export async function cachedWorkbenchBundle(projectDir: string): Promise<BuiltBundle & { cached: boolean }> {
  const started = performance.now();
  const dir = join(projectDir, 'node_modules/.cache/teams-bridge-workbench');
  const file = join(dir, `${inputsDigest(projectDir)}.js`);
  if (existsSync(file) && statSync(file).size > 0) {
    return {
      code: readFileSync(file, 'utf8'),
      buildMs: Math.round(performance.now() - started),
      cached: true,
    };
  }
  const built = await buildWorkbench(projectDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, built.code);
  renameSync(`${file}.tmp`, file);
  return { ...built, cached: false };
}
