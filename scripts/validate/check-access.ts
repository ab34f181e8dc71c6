import type { BundleFacts } from './lwc-bundle.ts';
import { readBundle } from './lwc-bundle.ts';
import { descendants, parsedRoot } from './component-references.ts';
import type { SfdxProject } from './project.ts';
import type { Problem } from './types.ts';
import type { XmlElement } from './xml-tree.ts';
import { localName } from './xml-tree.ts';

/** What a permission set grants that the UI needs. */
type Grants = {
  name: string;
  classes: Set<string>;
  customPermissions: Set<string>;
  tabs: Set<string>;
  /** Grants an app, a tab or an Apex class: a person's permission set, not an integration user's. */
  opensUi: boolean;
};

/** One place a component is shown: who sees it there, and how it got there (for the message). */
type Placement = { where: string; personas: Grants[] };

const child = (element: XmlElement, name: string): string | undefined =>
  element.children.find((c) => localName(c.name) === name)?.text.trim();

function readGrants(name: string, root: XmlElement): Grants {
  const enabled = (entry: XmlElement): boolean => child(entry, 'enabled') === 'true';
  const classes = new Set(
    descendants(root, 'classAccesses')
      .filter(enabled)
      .map((e) => child(e, 'apexClass')!),
  );
  const customPermissions = new Set(
    descendants(root, 'customPermissions')
      .filter(enabled)
      .map((e) => child(e, 'name')!),
  );
  const tabs = new Set(
    descendants(root, 'tabSettings')
      .filter((e) => ['Visible', 'DefaultOn'].includes(child(e, 'visibility') ?? ''))
      .map((e) => child(e, 'tab')!),
  );
  const apps = descendants(root, 'applicationVisibilities').filter((e) => child(e, 'visible') === 'true');
  return { name, classes, customPermissions, tabs, opensUi: classes.size + tabs.size + apps.length > 0 };
}

const PERMISSION_CRITERION = /^\{!\$Permission\.CustomPermission\.(\w+)\}$/;

/** Custom permissions a FlexiPage visibility rule requires (only plain AND rules narrow the audience). */
function requiredPermissions(instance: XmlElement): { permission: string; line: number }[] {
  const rule = instance.children.find((c) => localName(c.name) === 'visibilityRule');
  if (!rule || child(rule, 'booleanFilter')) return [];
  return rule.children
    .filter((c) => localName(c.name) === 'criteria')
    .flatMap((criterion) => {
      const permission = PERMISSION_CRITERION.exec(child(criterion, 'leftValue') ?? '')?.[1];
      const required = child(criterion, 'operator') === 'EQUAL' && child(criterion, 'rightValue') === 'true';
      return permission && required ? [{ permission, line: criterion.line }] : [];
    });
}

/**
 * Check: a component a person sees can do what it asks for. For every place a Lightning web component is
 * shown (a FlexiPage component instance, a custom tab), the personas who see it are the permission sets
 * that open UI and pass its FlexiPage visibility rule (custom permissions), or that show the tab. Every
 * `@salesforce/apex/*` import of the component and of the child components it renders must be granted by
 * each of those permission sets (`classAccesses`), children under an `lwc:if` on a custom permission
 * counting only for the permission sets that grant it; and every custom permission a component or a
 * visibility rule checks must be in the package and granted by at least one of them, or the gate never opens.
 */
export function checkAccess(project: SfdxProject): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const report = (path: string, line: number, message: string): void => {
    const key = `${path}:${line}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ check: 'access', path, line, message });
  };

  const grants: Grants[] = [];
  const bundles = new Map<string, BundleFacts>();
  const customPermissions = new Set<string>();
  for (const component of project.components) {
    if (component.type.name === 'PermissionSet' && component.xml) {
      const root = parsedRoot(component.xml);
      if (root) grants.push(readGrants(component.fullName, root));
    } else if (component.type.name === 'LightningComponentBundle' && component.content) {
      bundles.set(component.fullName, readBundle(component.fullName, component.content));
    } else if (component.type.name === 'CustomPermission') {
      customPermissions.add(component.fullName);
    }
  }
  const uiPersonas = grants.filter((g) => g.opensUi);

  const checkPermission = (permission: string, path: string, line: number, placement: Placement): void => {
    if (!customPermissions.has(permission)) {
      report(
        path,
        line,
        `unknown custom permission ${permission}: no customPermissions/${permission}.customPermission-meta.xml in the package`,
      );
    } else if (!placement.personas.some((p) => p.customPermissions.has(permission))) {
      const who = placement.personas.map((p) => p.name).join(', ') || 'no permission set';
      report(
        path,
        line,
        `custom permission ${permission} is checked ${placement.where}, but none of the permission sets that see it (${who}) grants it: the check can never pass; grant it in the permission set of the persona it is for`,
      );
    }
  };

  const visit = (name: string, placement: Placement, trail: string[]): void => {
    const bundle = bundles.get(name);
    if (!bundle || trail.includes(name)) return;
    const path = [...trail, name];
    const through = path.length > 1 ? ` (through ${path.slice(0, -1).join(' > ')})` : '';
    for (const site of bundle.apex) {
      for (const persona of placement.personas.filter((p) => !p.classes.has(site.className))) {
        report(
          project.rel(site.file),
          site.line,
          `${name} imports @salesforce/apex/${site.name}, and permission set ${persona.name} sees it ${placement.where}${through}, but does not grant Apex class ${site.className}: add <classAccesses> for it, or show the component only to the persona it is for (a visibility rule or an lwc:if on a custom permission)`,
        );
      }
    }
    for (const site of bundle.customPermissions)
      checkPermission(site.name, project.rel(site.file), site.line, { ...placement });
    for (const childSite of bundle.children) {
      const personas = placement.personas.filter((p) =>
        childSite.gates.every((g) => p.customPermissions.has(g)),
      );
      visit(childSite.component, { where: placement.where, personas }, path);
    }
  };

  for (const component of project.components) {
    if (component.type.name === 'FlexiPage' && component.xml) {
      const root = parsedRoot(component.xml);
      if (!root) continue;
      const rel = project.rel(component.xml);
      for (const instance of descendants(root, 'componentInstance')) {
        const name = child(instance, 'componentName')?.replace(/^c:/, '') ?? '';
        if (!bundles.has(name)) continue;
        const required = requiredPermissions(instance);
        const personas = uiPersonas.filter((p) =>
          required.every((r) => p.customPermissions.has(r.permission)),
        );
        const placement = { where: `on FlexiPage ${component.fullName}`, personas: uiPersonas };
        for (const r of required) checkPermission(r.permission, rel, r.line, placement);
        visit(name, { where: placement.where, personas }, []);
      }
    } else if (component.type.name === 'CustomTab' && component.xml) {
      const root = parsedRoot(component.xml);
      const lwc = root ? child(root, 'lwcComponent') : undefined;
      if (!lwc) continue;
      const personas = grants.filter((g) => g.tabs.has(component.fullName));
      visit(lwc, { where: `on tab ${component.fullName}`, personas }, []);
    }
  }
  return problems;
}
