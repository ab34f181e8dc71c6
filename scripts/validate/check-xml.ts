import { readFileSync } from 'node:fs';
import type { FieldSpec, MetadataSchema } from './metadata-schema.ts';
import { PRIMITIVES, fieldsOf, loadMetadataSchema } from './metadata-schema.ts';
import type { SfdxProject } from './project.ts';
import type { Problem } from './types.ts';
import type { XmlElement } from './xml-tree.ts';
import { localName, parseXml } from './xml-tree.ts';
import { motifProblem } from './tab-motifs.ts';

/**
 * Fields the WSDL types as an opaque string but that source format writes as nested XML, which SDR and the
 * Metadata API accept as is (LWC targetConfigs is xsd:base64Binary in the WSDL).
 */
const FREE_FORM = new Set(['LightningComponentBundle.targetConfigs']);

/** Closest allowed name by edit distance, for "did you mean" hints on typos. */
function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(
          row[j]! + 1,
          row[j - 1]! + 1,
          previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
        );
        previous = current;
      }
    }
    return row[b.length]!;
  };
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

type Report = (element: XmlElement, message: string) => void;

function checkValue(
  element: XmlElement,
  spec: FieldSpec,
  schema: MetadataSchema,
  path: string,
  report: Report,
): void {
  const value = element.text.trim();
  const typeSpec = schema.types[spec.type];
  if (spec.type === 'boolean' && value !== 'true' && value !== 'false') {
    report(element, `<${path}> must be true or false, not "${value}"`);
  } else if (spec.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) {
    report(element, `<${path}> must be a number, not "${value}"`);
  } else if (typeSpec?.kind === 'enum' && !typeSpec.values.includes(value)) {
    const hint = closest(value, typeSpec.values);
    report(
      element,
      `<${path}> value "${value}" is not a ${spec.type}${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${typeSpec.values.join(', ')}`,
    );
  }
}

function checkElement(
  element: XmlElement,
  typeName: string,
  schema: MetadataSchema,
  path: string,
  report: Report,
): void {
  const fields = fieldsOf(schema, typeName);
  if (!fields) return;
  const allowed = Object.keys(fields);
  const counts = new Map<string, number>();
  for (const child of element.children) {
    const name = localName(child.name);
    const childPath = `${path}.${name}`;
    const spec = fields[name];
    if (!spec) {
      const hint = closest(name, allowed);
      report(
        child,
        `unknown element <${name}> in ${path} (${typeName})${hint ? `: did you mean <${hint}>?` : ''} Allowed: ${allowed.sort().join(', ')}`,
      );
      continue;
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (!spec.array && counts.get(name) === 2) {
      report(
        child,
        `<${name}> appears more than once in ${path}, but ${typeName}.${name} holds a single value`,
      );
    }
    if (FREE_FORM.has(`${typeName}.${name}`) || spec.type === 'any') continue;
    const typeSpec = schema.types[spec.type];
    if (typeSpec?.kind === 'complex') {
      checkElement(child, spec.type, schema, childPath, report);
    } else if (child.children.length > 0) {
      report(
        child.children[0]!,
        `<${name}> in ${path} takes a ${PRIMITIVES.has(spec.type) ? spec.type : spec.type + ' value'}, not child elements`,
      );
    } else {
      checkValue(child, spec, schema, childPath, report);
    }
  }
}

/**
 * Check 2: every XML file under the package directories is well-formed, and every metadata file's elements
 * (names, nesting, single vs repeated, booleans, numbers, enum values) match its metadata type in the
 * Metadata API schema derived from @salesforce/types. The metadata type of a file is the one SDR's
 * registry resolved it to (suffix and folder: *.field-meta.xml -> CustomField, *.md-meta.xml -> CustomMetadata).
 */
export function checkXml(project: SfdxProject, schema: MetadataSchema = loadMetadataSchema()): Problem[] {
  const problems: Problem[] = [];
  const typeOfFile = new Map<string, string>();
  for (const component of project.components) {
    // Parents come first: a child kept inside its parent's file (CustomLabel in CustomLabels) keeps the parent type.
    if (component.xml && !typeOfFile.has(component.xml)) typeOfFile.set(component.xml, component.type.name);
  }
  for (const file of project.files.filter((f) => f.endsWith('.xml'))) {
    const rel = project.rel(file);
    const parsed = parseXml(readFileSync(file, 'utf8'));
    if (!parsed.ok) {
      problems.push({
        check: 'xml',
        path: rel,
        line: parsed.line,
        message: `not well-formed XML: ${parsed.message}`,
      });
      continue;
    }
    const typeName = typeOfFile.get(file);
    if (!typeName || !schema.types[typeName]) continue;
    const report: Report = (element, message) =>
      problems.push({ check: 'xml', path: rel, line: element.line, message });
    const rootName = localName(parsed.root.name);
    if (rootName !== typeName) {
      report(parsed.root, `root element <${rootName}> should be <${typeName}> for a ${typeName} file`);
      continue;
    }
    checkElement(parsed.root, typeName, schema, typeName, report);
    if (typeName === 'CustomTab') {
      for (const motif of parsed.root.children.filter((c) => localName(c.name) === 'motif')) {
        const problem = motifProblem(motif.text.trim());
        if (problem) report(motif, problem);
      }
    }
  }
  return problems;
}
