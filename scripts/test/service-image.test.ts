import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { SERVICE_NODE_ARGS } from '../../callout-service/src/ops/node-args.ts';

// The service's production image (callout-service/Dockerfile) cannot be built here (no image registry is
// reachable), so what a build depends on is checked: the files it copies exist, npm ci can read the lockfile,
// and `npm ci --omit=dev --workspace callout-service` leaves every package main.ts imports at run time.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = readFileSync(resolve(root, 'callout-service/Dockerfile'), 'utf8');
const json = (path: string) =>
  JSON.parse(readFileSync(resolve(root, path), 'utf8')) as Record<string, unknown>;
const service = json('callout-service/package.json') as {
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const lock = json('package-lock.json') as { packages: Record<string, { dev?: boolean }> };

/** Instructions with their arguments, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
  });
const copies = instructions
  .filter((i) => i.keyword === 'COPY')
  .map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')))
  .map((parts) => ({ sources: parts.slice(0, -1), destination: parts.at(-1)! }));

test('the image is node:24-slim, runs as a non-root user, and checks /healthz', () => {
  assert.deepEqual(
    instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args),
    ['node:24-slim'],
  );
  const users = instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
  assert.ok(users.length > 0 && !['root', '0'].includes(users.at(-1)!), `USER ${users.at(-1)}`);
  const healthcheck = instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
  assert.match(healthcheck, /\/healthz/);
  assert.match(
    instructions.find((i) => i.keyword === 'RUN' && i.args.includes('npm ci'))?.args ?? '',
    /npm ci --omit=dev --workspace callout-service/,
  );
});

test('the image, npm run service, the benchmark and the chaos replicas run Node with the same flags', () => {
  const cmd = instructions.find((i) => i.keyword === 'CMD')?.args ?? '';
  assert.deepEqual(JSON.parse(cmd), ['node', ...SERVICE_NODE_ARGS, 'src/main.ts']);
  const scripts = (service as unknown as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts.service, ['node', ...SERVICE_NODE_ARGS, 'src/main.ts'].join(' '));
  for (const spawner of ['bench/inbound.ts', 'chaos/processes/replica.ts']) {
    assert.match(readFileSync(resolve(root, spawner), 'utf8'), /\.\.\.SERVICE_NODE_ARGS,/, spawner);
  }
});

test('every file the image copies exists, with the lockfile and each workspace manifest npm ci reads', () => {
  for (const { sources } of copies) {
    for (const source of sources)
      assert.ok(existsSync(resolve(root, source)), `COPY ${source}: no such file`);
  }
  const copied = new Set(copies.flatMap((c) => c.sources));
  const workspaces = (json('package.json') as { workspaces: string[] }).workspaces;
  for (const manifest of [
    'package.json',
    'package-lock.json',
    ...workspaces.map((w) => `${w}/package.json`),
  ]) {
    assert.ok(copied.has(manifest), `${manifest} is not copied: npm ci cannot match the lockfile without it`);
  }
});

/** Module specifiers a file loads at run time: value imports, re-exports and dynamic import() calls. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module main.ts loads at run time, followed through relative imports. */
function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(root, f)).sort(), packages };
}

const graph = importGraph(resolve(root, 'callout-service/src/main.ts'));

test('main.ts loads only service code that the image copies (no sandbox, no stand-ins)', () => {
  assert.ok(graph.files.length > 20, `${graph.files.length} files`);
  const copiedDirs = copies.flatMap((c) => c.sources).filter((s) => !s.endsWith('.json'));
  for (const file of graph.files) {
    assert.ok(existsSync(resolve(root, file)), `${file} is imported but missing`);
    assert.ok(
      copiedDirs.some((dir) => file.startsWith(`${dir}/`)),
      `${file} is imported by main.ts but not copied into the image`,
    );
    assert.doesNotMatch(file, /sandbox|emulators|\/test\//, `${file} must not be part of the service`);
  }
});

test('--omit=dev keeps every package main.ts imports, and tsx, which runs it', () => {
  const cmd = instructions.findLast((i) => i.keyword === 'CMD')?.args ?? '';
  assert.match(cmd, /"--import", "tsx", "src\/main\.ts"/);
  for (const name of [...graph.packages, 'tsx']) {
    assert.ok(
      service.dependencies[name],
      `${name} is imported at run time but not in callout-service dependencies`,
    );
    assert.equal(service.devDependencies?.[name], undefined, `${name} is also a devDependency`);
    // Resolved as Node does from callout-service: its own node_modules first, then the hoisted one.
    const locked =
      lock.packages[`callout-service/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
    assert.ok(locked, `${name} is not in the lockfile`);
    assert.notEqual(locked.dev, true, `the lockfile marks ${name} dev-only: npm ci --omit=dev would skip it`);
  }
  assert.ok(graph.packages.has('pg-boss') && graph.packages.has('express'), [...graph.packages].join(', '));
});
