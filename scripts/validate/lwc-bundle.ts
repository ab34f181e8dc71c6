import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDirectory, walkFiles } from './project.ts';

/** An `import x from '@salesforce/<kind>/<name>'` in a component's JavaScript. */
export type ImportSite = { file: string; line: number; name: string };

/** A child component (`<c-foo-bar>`) in a template, with the custom permissions its `lwc:if` gates require. */
export type ChildSite = { file: string; line: number; component: string; gates: string[] };

/** What the access check needs to know about one Lightning web component bundle. */
export type BundleFacts = {
  name: string;
  apex: (ImportSite & { className: string })[];
  customPermissions: ImportSite[];
  children: ChildSite[];
};

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

const kebabToCamel = (tag: string): string => tag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A property of the component that is true only when the user has a custom permission: a getter that returns
 * the imported boolean (`get canLink() { return HAS_LINK === true; }`) or a field set to it (`canLink = HAS_LINK;`).
 */
function gatingProperties(js: string, permissionByBinding: Map<string, string>): Map<string, string> {
  const gates = new Map<string, string>();
  for (const [binding, permission] of permissionByBinding) {
    const getter = new RegExp(
      String.raw`get\s+(\w+)\s*\(\s*\)\s*\{\s*return\s+(?:!!\s*)?${binding}\b(?:\s*===\s*true)?\s*;?\s*\}`,
      'g',
    );
    for (const match of js.matchAll(getter)) gates.set(match[1]!, permission);
    const field = new RegExp(String.raw`^\s*(\w+)\s*=\s*(?:!!\s*)?${binding}\b(?:\s*===\s*true)?\s*;`, 'gm');
    for (const match of js.matchAll(field)) gates.set(match[1]!, permission);
  }
  return gates;
}

/** Children in a template and the `lwc:if` / `if:true` conditions of the <template> elements around them. */
function childrenOf(html: string, file: string, gates: Map<string, string>): ChildSite[] {
  const out: ChildSite[] = [];
  const stack: (string | undefined)[] = [];
  const token = /<template\b([^>]*)>|<\/template\s*>|<(c-[a-z0-9-]+)\b/g;
  for (const match of html.matchAll(token)) {
    if (match[0].startsWith('</')) {
      stack.pop();
    } else if (match[0].startsWith('<template')) {
      const condition = /(?:lwc:if|if:true)=\{(\w+)\}/.exec(match[1] ?? '')?.[1];
      stack.push(condition ? gates.get(condition) : undefined);
    } else {
      out.push({
        file,
        line: lineAt(html, match.index),
        component: kebabToCamel(match[2]!.slice(2)),
        gates: stack.filter((g): g is string => !!g),
      });
    }
  }
  return out;
}

/** Reads a bundle folder: its JavaScript imports (not its tests) and its templates' child components. */
export function readBundle(name: string, folder: string): BundleFacts {
  const facts: BundleFacts = { name, apex: [], customPermissions: [], children: [] };
  if (!isDirectory(folder)) return facts;
  const files = walkFiles(folder).filter((f) => !f.includes(`${join(folder, '__tests__')}`));
  const permissionByBinding = new Map<string, string>();
  let allJs = '';
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const js = readFileSync(file, 'utf8');
    allJs += `\n${js}`;
    const imports = /import\s+(\w+)\s+from\s+['"]@salesforce\/(apex|customPermission)\/([\w.]+)['"]/g;
    for (const match of js.matchAll(imports)) {
      const site = { file, line: lineAt(js, match.index), name: match[3]! };
      if (match[2] === 'apex') facts.apex.push({ ...site, className: match[3]!.split('.')[0]! });
      else {
        facts.customPermissions.push(site);
        permissionByBinding.set(match[1]!, match[3]!);
      }
    }
  }
  const gates = gatingProperties(allJs, permissionByBinding);
  for (const file of files.filter((f) => f.endsWith('.html')))
    facts.children.push(...childrenOf(readFileSync(file, 'utf8'), file, gates));
  return facts;
}
