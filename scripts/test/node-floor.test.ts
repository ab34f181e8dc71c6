import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import semver from 'semver';

// The oldest Node the project supports (engines.node) must run everything the lockfile installs, and no
// dependency range may drift, on a fresh install without the lockfile, onto a release that needs newer.

const root = new URL('../../', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

interface Manifest {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
}

const workspaces = (read('package.json') as { workspaces: string[] }).workspaces;
const manifests = Object.fromEntries(
  ['package.json', ...workspaces.map((w) => `${w}/package.json`)].map((p) => [p, read(p) as Manifest]),
);
const floorRange = (manifests['package.json']!.engines?.node ?? '') as string;
const floor = semver.minVersion(floorRange)!;

test('one engines floor for the root and every workspace', () => {
  assert.ok(floor, `engines.node "${floorRange}" has a lowest version`);
  for (const [path, m] of Object.entries(manifests)) assert.equal(m.engines?.node, floorRange, path);
});

test('every locked package runs on the engines floor', () => {
  const lock = read('package-lock.json') as { packages: Record<string, LockedPackage> };
  const tooNew = Object.entries(lock.packages)
    // An optional package whose engines do not match is skipped by npm (platform binaries with fallbacks).
    .filter(([, p]) => !p.optional && p.engines && !Array.isArray(p.engines) && p.engines.node)
    .filter(([, p]) => !semver.satisfies(floor, (p.engines as { node: string }).node))
    .map(([path, p]) => `${path}@${p.version} needs node ${(p.engines as { node: string }).node}`);
  assert.deepEqual(tooNew, [], `raise engines.node above ${floor.version} or pin an older release`);
});

test('direct dependencies are pinned to one version (a range could drift onto a newer Node)', () => {
  const ranges = Object.entries(manifests).flatMap(([path, m]) =>
    Object.entries({ ...m.dependencies, ...m.devDependencies })
      .filter(([, spec]) => !semver.valid(spec.replace(/^npm:(@?[^@]+)@/, '')))
      .map(([name, spec]) => `${path}: ${name} ${spec}`),
  );
  assert.deepEqual(ranges, []);
});

test('the Node the npm scripts run is a pinned 24.x that satisfies the floor', () => {
  const pinned = manifests['package.json']!.devDependencies?.node ?? '';
  assert.match(pinned, /^24\.\d+\.\d+$/);
  assert.ok(semver.satisfies(pinned, floorRange));
});
