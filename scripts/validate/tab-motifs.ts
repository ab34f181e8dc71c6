import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './tools.ts';

let cached: string[] | undefined;

/**
 * The custom tab styles (`<motif>`) the sf CLI itself writes (`sf schema generate tab`), read from the
 * list `@salesforce/plugin-sobject` ships: the WSDL types CustomTab.motif as a plain string, so the
 * Metadata API schema cannot tell `Custom68: Desk` (wrong) from `Custom33: Desk`.
 */
export function tabMotifs(): string[] {
  if (cached) return cached;
  // The package exports no subpaths, so it is read from where npm installs it (a dependency of @salesforce/cli).
  const root = join(REPO_ROOT, 'node_modules', '@salesforce', 'plugin-sobject');
  const source = readFileSync(join(root, 'lib', 'commands', 'schema', 'generate', 'tab.js'), 'utf8');
  const list = /const tabDefs = \[([\s\S]*?)\];/.exec(source)?.[1];
  const motifs = list ? [...list.matchAll(/'(Custom\d+: [^']+)'/g)].map((m) => m[1]!) : [];
  if (motifs.length < 50) {
    throw new Error(
      '@salesforce/plugin-sobject no longer ships its tab style list where expected (lib/commands/schema/generate/tab.js tabDefs): update scripts/validate/tab-motifs.ts',
    );
  }
  cached = motifs;
  return motifs;
}

/** What is wrong with a motif value, or undefined when the CLI knows it. */
export function motifProblem(value: string): string | undefined {
  const motifs = tabMotifs();
  if (motifs.includes(value)) return undefined;
  const number = /^Custom(\d+):/.exec(value)?.[1];
  const name = value.split(':')[1]?.trim().toLowerCase();
  const byNumber = number ? motifs.find((m) => m.startsWith(`Custom${number}:`)) : undefined;
  const byName = name ? motifs.find((m) => m.split(':')[1]!.trim().toLowerCase() === name) : undefined;
  const hints = [...new Set([byName, byNumber].filter((h): h is string => !!h))];
  return `<CustomTab.motif> value "${value}" is not a tab style the sf CLI knows${hints.length ? ` (did you mean ${hints.map((h) => `"${h}"`).join(' or ')}?)` : ''}: the number and the name must match one entry of @salesforce/plugin-sobject's list`;
}
