import { readFileSync } from 'node:fs';
import { blankCommentsAndStrings, lineOf } from './apex-source.ts';
import type { SfdxProject } from './project.ts';
import type { XmlElement } from './xml-tree.ts';
import { localName, parseXml } from './xml-tree.ts';

export type Report = (path: string, line: number, message: string) => void;

/** Components other metadata names by API name: what the package has of each type. */
export class PackageInventory {
  readonly byType = new Map<string, Map<string, string | undefined>>();

  constructor(project: SfdxProject) {
    for (const component of project.components) {
      if (!this.byType.has(component.type.name)) this.byType.set(component.type.name, new Map());
      this.byType.get(component.type.name)!.set(component.fullName, component.content);
    }
  }

  has(type: string, name: string): boolean {
    return this.byType.get(type)?.has(name) ?? false;
  }

  content(type: string, name: string): string | undefined {
    return this.byType.get(type)?.get(name);
  }
}

export function descendants(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(localName(child.name) === name ? [child] : []),
    ...descendants(child, name),
  ]);
}

export function parsedRoot(file: string): XmlElement | undefined {
  const parsed = parseXml(readFileSync(file, 'utf8'));
  return parsed.ok ? parsed.root : undefined; // malformed files are the xml check's to report
}

const isStandardTab = (tab: string): boolean => tab.startsWith('standard-');

function checkTab(inventory: PackageInventory, element: XmlElement, rel: string, report: Report): void {
  const tab = element.text.trim();
  if (!isStandardTab(tab) && !inventory.has('CustomTab', tab)) {
    report(
      rel,
      element.line,
      `unknown tab ${tab}: no tabs/${tab}.tab-meta.xml in the package (standard tabs are named standard-<Object>)`,
    );
  }
}

/** Permission sets: Apex classes, tabs and custom metadata types they grant must be in the package. */
export function checkPermissionSetComponents(
  inventory: PackageInventory,
  root: XmlElement,
  rel: string,
  report: Report,
): void {
  for (const element of descendants(root, 'apexClass')) {
    if (!inventory.has('ApexClass', element.text.trim())) {
      report(
        rel,
        element.line,
        `unknown Apex class ${element.text.trim()}: no classes/${element.text.trim()}.cls in the package`,
      );
    }
  }
  for (const settings of descendants(root, 'tabSettings')) {
    for (const element of settings.children.filter((c) => localName(c.name) === 'tab'))
      checkTab(inventory, element, rel, report);
  }
}

/** Lightning apps: their tabs and the FlexiPages their action overrides open. */
export function checkApplication(
  inventory: PackageInventory,
  file: string,
  rel: string,
  report: Report,
): void {
  const root = parsedRoot(file);
  if (!root) return;
  for (const element of root.children.filter((c) => localName(c.name) === 'tabs'))
    checkTab(inventory, element, rel, report);
  for (const override of [
    ...descendants(root, 'actionOverrides'),
    ...descendants(root, 'profileActionOverrides'),
  ]) {
    const type = override.children.find((c) => localName(c.name) === 'type')?.text.trim();
    const content = override.children.find((c) => localName(c.name) === 'content');
    if (type === 'Flexipage' && content && !inventory.has('FlexiPage', content.text.trim())) {
      report(
        rel,
        content.line,
        `unknown FlexiPage ${content.text.trim()}: no flexipages/${content.text.trim()}.flexipage-meta.xml in the package`,
      );
    }
  }
}

/** Custom tabs: the object, LWC or FlexiPage they open. */
export function checkCustomTab(
  inventory: PackageInventory,
  objectExists: (name: string) => boolean,
  fullName: string,
  file: string,
  rel: string,
  report: Report,
): void {
  const root = parsedRoot(file);
  if (!root) return;
  for (const child of root.children) {
    const value = child.text.trim();
    const name = localName(child.name);
    if (name === 'customObject' && value === 'true' && !objectExists(fullName)) {
      report(rel, child.line, `tab ${fullName} opens object ${fullName}, which is not in the package`);
    } else if (name === 'lwcComponent' && !inventory.has('LightningComponentBundle', value)) {
      report(rel, child.line, `unknown Lightning web component ${value}: no lwc/${value}/ in the package`);
    } else if (name === 'flexiPage' && !inventory.has('FlexiPage', value)) {
      report(
        rel,
        child.line,
        `unknown FlexiPage ${value}: no flexipages/${value}.flexipage-meta.xml in the package`,
      );
    }
  }
}

/** FlexiPages: custom components (bare names or c:name) must be bundles in the package. */
export function checkFlexiPageComponents(
  inventory: PackageInventory,
  root: XmlElement,
  rel: string,
  report: Report,
): void {
  for (const element of descendants(root, 'componentName')) {
    const value = element.text.trim();
    const name = value.startsWith('c:') ? value.slice(2) : value.includes(':') ? undefined : value;
    if (
      name &&
      !inventory.has('LightningComponentBundle', name) &&
      !inventory.has('AuraDefinitionBundle', name)
    ) {
      report(
        rel,
        element.line,
        `unknown component ${value}: no lwc/${name}/ (or aura/${name}/) in the package`,
      );
    }
  }
}

/** LWC imports of Apex methods (`@salesforce/apex/Class.method`) and labels (`@salesforce/label/c.Name`). */
export function checkLwcImports(
  inventory: PackageInventory,
  source: string,
  rel: string,
  report: Report,
): void {
  for (const match of source.matchAll(/from\s+['"]@salesforce\/apex\/([\w]+)\.(\w+)['"]/g)) {
    const [, className = '', method = ''] = match;
    const line = lineOf(source, match.index);
    const content = inventory.content('ApexClass', className);
    if (!inventory.has('ApexClass', className)) {
      report(rel, line, `unknown Apex class ${className}: no classes/${className}.cls in the package`);
    } else if (content) {
      // The org compiles LWC imports only against @AuraEnabled static methods.
      const declaration = new RegExp(`@AuraEnabled\\b[^;{}]*?\\bstatic\\b[^;{}=]*\\b${method}\\s*\\(`, 'i');
      if (!declaration.test(blankCommentsAndStrings(readFileSync(content, 'utf8')))) {
        report(
          rel,
          line,
          `${className}.${method} is not an @AuraEnabled static method of classes/${className}.cls`,
        );
      }
    }
  }
  for (const match of source.matchAll(/from\s+['"]@salesforce\/label\/c\.(\w+)['"]/g)) {
    if (!inventory.has('CustomLabel', match[1]!)) {
      report(
        rel,
        lineOf(source, match.index),
        `unknown custom label ${match[1]}: not in labels/*.labels-meta.xml`,
      );
    }
  }
}
