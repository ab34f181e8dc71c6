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
  const resolver = new MetadataResolver();
  for (const dir of packageDirs) {
    // The same lookup SDR makes: the nearest .forceignore above the package directory.
    const ignore = ForceIgnore.findAndCreate(dir);
    files.push(...walkFiles(dir).filter((file) => ignore.accepts(file)));
    components.push(...resolver.getComponentsFromPath(dir).flatMap(withChildren));
  }
  const rel = (path: string): string => relative(root, path).split(sep).join('/');
  return { root, packageDirs, files: files.sort(), components, rel };
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
