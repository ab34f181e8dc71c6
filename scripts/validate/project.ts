import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ForceIgnore, MetadataResolver } from '@salesforce/source-deploy-retrieve';
import type { SourceComponent } from '@salesforce/source-deploy-retrieve';

/** An SFDX project as the checks see it: its package directories, files and resolved components. */
export type SfdxProject = {
  root: string;
  packageDirs: string[];
  /** Every file under the package directories that .forceignore (and SDR's default ignores) lets through. */
  files: string[];
  /** Components as a deploy or convert resolves them (package directories walked by SDR). */
  components: SourceComponent[];
  /** Files SDR refused while resolving (it stops a whole package walk on the first one). */
  resolutionErrors: { file: string; message: string }[];
  /** Path relative to the project root, with forward slashes. */
  rel(path: string): string;
};

type SfdxProjectJson = { packageDirectories?: { path?: string }[] };

export function readPackageDirs(root: string): string[] {
  const file = join(root, 'sfdx-project.json');
  if (!existsSync(file)) {
    throw new Error(`${file} not found: pass the root folder of an SFDX project`);
  }
  const json = JSON.parse(readFileSync(file, 'utf8')) as SfdxProjectJson;
  const dirs = (json.packageDirectories ?? []).map((entry) => entry.path).filter((p): p is string => !!p);
  if (dirs.length === 0) {
    throw new Error(`${file} lists no packageDirectories[].path`);
  }
  for (const dir of dirs) {
    if (!existsSync(join(root, dir))) {
      throw new Error(`package directory "${dir}" from sfdx-project.json does not exist under ${root}`);
    }
  }
  return dirs.map((dir) => resolve(root, dir));
}

export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walkFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** A component and its decomposed children (fields, list views... of a CustomObject), depth first. */
export function withChildren(component: SourceComponent): SourceComponent[] {
  return [component, ...component.getChildren().flatMap(withChildren)];
}

export function loadProject(rootArg: string): SfdxProject {
  const root = resolve(rootArg);
  const packageDirs = readPackageDirs(root);
  const files: string[] = [];
  const components: SourceComponent[] = [];
  const resolutionErrors: { file: string; message: string }[] = [];
  const resolver = new MetadataResolver();
  for (const dir of packageDirs) {
    // The same lookup SDR makes: the nearest .forceignore above the package directory.
    const ignore = ForceIgnore.findAndCreate(dir);
    const accepted = walkFiles(dir).filter((file) => ignore.accepts(file));
    files.push(...accepted);
    try {
      components.push(...resolver.getComponentsFromPath(dir).flatMap(withChildren));
    } catch {
      // SDR gave up on the whole folder (e.g. a -meta.xml without its source file): resolve file by file
      // to find every such file and still check the rest.
      components.push(...resolveFileByFile(resolver, accepted, resolutionErrors));
    }
  }
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  return { root, packageDirs, files: files.sort(), components, resolutionErrors, rel };
}

function resolveFileByFile(
  resolver: MetadataResolver,
  files: string[],
  errors: { file: string; message: string }[],
): SourceComponent[] {
  const byKey = new Map<string, SourceComponent>();
  for (const file of files) {
    try {
      for (const component of resolver.getComponentsFromPath(file).flatMap(withChildren)) {
        const key = `${component.type.name}:${component.fullName}`;
        if (!byKey.has(key)) byKey.set(key, component);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(`${file}: `, '') : String(error);
      errors.push({ file, message });
    }
  }
  return [...byKey.values()];
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
