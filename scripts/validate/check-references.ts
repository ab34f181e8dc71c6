import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { blankCommentsAndStrings, findSoqlLiterals, lineOf, simplifyBinds } from './apex-source.ts';
import type { SfdxProject } from './project.ts';
import { SchemaModel } from './schema-model.ts';
import { checkSoql } from './soql-references.ts';
import type { Problem } from './types.ts';
import { NOT_PERMISSIONABLE, SYSTEM_FIELDS } from './standard-objects.ts';
import { localName } from './xml-tree.ts';
import type { Report } from './component-references.ts';
import {
  PackageInventory,
  checkApplication,
  checkCustomTab,
  checkFlexiPageComponents,
  checkLwcImports,
  checkPermissionSetComponents,
  descendants,
  parsedRoot,
} from './component-references.ts';

/** Check `Object.Field` as named in metadata (permission sets, FlexiPages). */
function checkQualifiedField(
  model: SchemaModel,
  qualified: string,
  rel: string,
  line: number,
  report: Report,
): void {
  const [objectName = '', ...rest] = qualified.split('.');
  const object = model.object(objectName);
  if (!object) return report(rel, line, model.unknownObject(objectName));
  const problem = model.checkPath(object, rest.join('.'));
  if (problem) report(rel, line, problem);
}

function checkPermissionSet(
  model: SchemaModel,
  inventory: PackageInventory,
  file: string,
  rel: string,
  report: Report,
): void {
  const root = parsedRoot(file);
  if (!root) return;
  checkPermissionSetComponents(inventory, root, rel, report);
  for (const permission of descendants(root, 'fieldPermissions')) {
    const element = permission.children.find((c) => localName(c.name) === 'field');
    if (!element) continue;
    const qualified = element.text.trim();
    const [objectName = '', fieldName = ''] = qualified.split('.');
    if (objectName === 'Activity') {
      report(
        rel,
        element.line,
        `${qualified}: permission sets name activity fields as Task.${fieldName} or Event.${fieldName}, not Activity`,
      );
      continue;
    }
    checkQualifiedField(model, qualified, rel, element.line, report);
    const notPermissionable = [
      ...SYSTEM_FIELDS,
      ...(NOT_PERMISSIONABLE['*'] ?? []),
      ...(NOT_PERMISSIONABLE[objectName] ?? []),
    ];
    if (notPermissionable.some((name) => name.toLowerCase() === fieldName.toLowerCase())) {
      report(
        rel,
        element.line,
        `${qualified} is a required or system field: the org rejects field permissions on it; remove this fieldPermissions entry`,
      );
      continue;
    }
    const object = model.object(objectName);
    const field = object ? model.field(object, fieldName) : undefined;
    if (field && field !== 'standard' && field.required) {
      const why =
        field.type === 'MasterDetail' ? 'a master-detail field' : 'required (<required>true</required>)';
      report(
        rel,
        element.line,
        `${qualified} is ${why}: the org rejects field permissions on it; remove this fieldPermissions entry`,
      );
    } else if (field && field !== 'standard' && field.computed) {
      const editable = permission.children.find((c) => localName(c.name) === 'editable');
      if (editable?.text.trim() === 'true') {
        report(
          rel,
          editable.line,
          `${qualified} is read-only (formula, auto-number or roll-up summary): the org rejects <editable>true</editable>; set it to false`,
        );
      }
    }
  }
  for (const permission of descendants(root, 'objectPermissions')) {
    const element = permission.children.find((c) => localName(c.name) === 'object');
    if (element && !model.object(element.text.trim()))
      report(rel, element.line, model.unknownObject(element.text.trim()));
  }
}

/** Layout files are named `<Object>-<Layout Name>.layout-meta.xml`. */
function checkLayout(model: SchemaModel, file: string, rel: string, report: Report): void {
  const objectName = basename(file).split('-')[0] ?? '';
  const object = model.object(objectName);
  const root = parsedRoot(file);
  if (!root) return;
  if (!object) return report(rel, root.line, model.unknownObject(objectName));
  for (const element of descendants(root, 'layoutItems').flatMap((item) =>
    item.children.filter((c) => localName(c.name) === 'field'),
  )) {
    const problem = model.checkPath(object, element.text.trim());
    if (problem) report(rel, element.line, problem);
  }
}

/** List views live in objects/<Object>/listViews/; custom columns and filter fields end in __c. */
function checkListView(
  model: SchemaModel,
  fullName: string,
  file: string,
  rel: string,
  report: Report,
): void {
  const objectName = fullName.split('.')[0] ?? '';
  const object = model.object(objectName);
  const root = parsedRoot(file);
  if (!root || !object) return;
  const elements = [
    ...descendants(root, 'columns'),
    ...descendants(root, 'filters').flatMap((f) => f.children.filter((c) => localName(c.name) === 'field')),
  ];
  for (const element of elements) {
    // Standard columns use upper-case tokens (NAME, CREATED_DATE, OWNER.ALIAS): only custom ones are checked.
    const token = element.text.trim().replace(new RegExp(`^${object}\\.`, 'i'), '');
    if (!/__c$/i.test(token)) continue;
    const problem = model.checkPath(object, token);
    if (problem) report(rel, element.line, problem);
  }
}

/** FlexiPages: the page's sobjectType, and `Record.Field` field items. */
function checkFlexiPage(
  model: SchemaModel,
  inventory: PackageInventory,
  file: string,
  rel: string,
  report: Report,
): void {
  const root = parsedRoot(file);
  if (!root) return;
  checkFlexiPageComponents(inventory, root, rel, report);
  const sobjectType = root.children.find((c) => localName(c.name) === 'sobjectType');
  const objectName = sobjectType?.text.trim();
  if (!objectName) return;
  const object = model.object(objectName);
  if (!object) return report(rel, sobjectType!.line, model.unknownObject(objectName));
  for (const element of descendants(root, 'fieldItem')) {
    const problem = model.checkPath(object, element.text.trim().replace(/^Record\./, ''));
    if (problem) report(rel, element.line, problem);
  }
}

/** SOQL in Apex, and Task/Event fields in `new Task(Field__c = ...)` and `task.Field__c` (apex-ls accepts any). */
function checkApex(model: SchemaModel, file: string, rel: string, report: Report): void {
  const source = readFileSync(file, 'utf8');
  const blanked = blankCommentsAndStrings(source);
  for (const literal of findSoqlLiterals(blanked)) {
    for (const issue of checkSoql(simplifyBinds(literal.text), model)) {
      const at = issue.needle
        ? literal.text.search(new RegExp(`\\b${issue.needle.replace(/\./g, '\\s*\\.\\s*')}\\b`, 'i'))
        : -1;
      report(rel, lineOf(source, literal.offset + Math.max(at, 0)), issue.message);
    }
  }
  checkActivityVariables(model, blanked, source, rel, report);
  for (const match of blanked.matchAll(/\bnew\s+(Task|Event)\s*\(/g)) {
    let depth = 0;
    let end = match.index + match[0].length - 1;
    for (; end < blanked.length; end++) {
      if (blanked[end] === '(') depth++;
      else if (blanked[end] === ')' && --depth === 0) break;
    }
    const args = blanked.slice(match.index + match[0].length, end);
    for (const assignment of args.matchAll(/(?:^|,)\s*([A-Za-z_]\w*)\s*=(?!=)/g)) {
      const name = assignment[1]!;
      if (!model.field(match[1]!, name)) {
        report(
          rel,
          lineOf(source, match.index + match[0].length + assignment.index + assignment[0].indexOf(name)),
          model.unknownField(match[1]!, name),
        );
      }
    }
  }
}

/**
 * Custom fields read or written through variables declared as Task or Event (`Task t`, `List<Task> tasks`,
 * `for (Event e : ...)`): apex-ls accepts any field on those two types. A name-based heuristic: it does not
 * follow scopes, so only custom (__c) fields are checked, where a miss is almost surely a typo.
 */
function checkActivityVariables(
  model: SchemaModel,
  blanked: string,
  source: string,
  rel: string,
  report: Report,
): void {
  const variables = new Map<string, string>();
  for (const match of blanked.matchAll(
    /\b(?:(?:List|Set)<\s*(Task|Event)\s*>|(Task|Event)(?:\[\])?)\s+([A-Za-z_]\w*)\s*[=;,:)]/g,
  )) {
    variables.set(match[3]!, (match[1] ?? match[2])!);
  }
  if (variables.size === 0) return;
  const names = [...variables.keys()].join('|');
  const access = new RegExp(
    `\\b(${names})(?:\\s*\\[[^\\]]*\\])?\\s*\\.\\s*([A-Za-z_]\\w*__c)\\b(?!\\s*\\()`,
    'g',
  );
  for (const match of blanked.matchAll(access)) {
    const object = variables.get(match[1]!)!;
    const field = match[2]!;
    if (!model.field(object, field))
      report(
        rel,
        lineOf(source, match.index + match[0].lastIndexOf(field)),
        model.unknownField(object, field),
      );
  }
}

/** LWC `import X from '@salesforce/schema/Object.Field'`. */
function checkLwc(
  model: SchemaModel,
  inventory: PackageInventory,
  file: string,
  rel: string,
  report: Report,
): void {
  const source = readFileSync(file, 'utf8');
  checkLwcImports(inventory, source, rel, report);
  for (const match of source.matchAll(/from\s+['"]@salesforce\/schema\/([^'"]+)['"]/g)) {
    const [objectName = '', ...path] = match[1]!.split('.');
    const line = lineOf(source, match.index);
    const object = model.object(objectName);
    if (!object) report(rel, line, model.unknownObject(objectName));
    else if (path.length > 0) {
      const problem = model.checkPath(object, path.join('.'));
      if (problem) report(rel, line, problem);
    }
  }
}

/**
 * Check 3: every custom object and field named by permission sets, layouts, list views, FlexiPages, SOQL in
 * Apex and LWC schema imports exists in the package (or is a listed standard field); required fields are
 * not in permission sets; Task/Event custom fields are authored under objects/Activity/fields/. Also the
 * components metadata names by API name: Apex classes (permission sets, LWC imports), tabs, FlexiPages,
 * LWC components on pages and tabs, custom labels imported by LWC.
 */
export function checkReferences(project: SfdxProject): Problem[] {
  const model = new SchemaModel(project);
  const inventory = new PackageInventory(project);
  const problems: Problem[] = [];
  const report: Report = (path, line, message) => problems.push({ check: 'references', path, line, message });
  const accepted = new Set(project.files);
  for (const [object, fields] of model.fields) {
    if (object !== 'Task' && object !== 'Event') continue;
    for (const field of fields.values()) {
      report(
        project.rel(field.file),
        1,
        `${object}.${field.name} is authored under objects/${object}/fields/: the Metadata API rejects ${object} as a custom field parent; move it to objects/Activity/fields/ (SOQL and permission sets keep naming it ${object}.${field.name})`,
      );
    }
  }
  for (const component of project.components) {
    const file = component.xml;
    if (!file) continue;
    const rel = project.rel(file);
    switch (component.type.name) {
      case 'PermissionSet':
        checkPermissionSet(model, inventory, file, rel, report);
        break;
      case 'Layout':
        checkLayout(model, file, rel, report);
        break;
      case 'ListView':
        checkListView(model, component.fullName, file, rel, report);
        break;
      case 'FlexiPage':
        checkFlexiPage(model, inventory, file, rel, report);
        break;
      case 'CustomApplication':
        checkApplication(inventory, file, rel, report);
        break;
      case 'CustomTab':
        checkCustomTab(
          inventory,
          (name) => model.customObjects.has(name),
          component.fullName,
          file,
          rel,
          report,
        );
        break;
      case 'ApexClass':
      case 'ApexTrigger':
        if (component.content) checkApex(model, component.content, project.rel(component.content), report);
        break;
      case 'LightningComponentBundle':
        for (const js of component.walkContent().filter((f) => f.endsWith('.js') && accepted.has(f))) {
          checkLwc(model, inventory, js, project.rel(js), report);
        }
        break;
    }
  }
  return problems;
}
