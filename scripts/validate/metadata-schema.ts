import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * The Metadata API element schema, derived with the TypeScript compiler API from the declarations that
 * @salesforce/types generates from the Metadata WSDL (lib/metadata.d.ts). Each WSDL complex type is a
 * `type X = Base & { field?: T; list: T[] }` alias there; simple types are string-literal unions (enums)
 * or aliases of string/number/boolean; `any` marks an xsd:anyType (CustomMetadataValue.value).
 */
export type FieldSpec = { type: string; array: boolean };
export type TypeSpec =
  | { kind: 'complex'; bases: string[]; fields: Record<string, FieldSpec> }
  | { kind: 'enum'; values: string[] }
  | { kind: 'simple' };
export type MetadataSchema = { version: string; types: Record<string, TypeSpec> };

/** Built-in leaf types: text content, no child elements. */
export const PRIMITIVES = new Set(['string', 'number', 'boolean', 'any']);
/** Bump when the derived shape changes, so stale caches are rebuilt. */
const SCHEMA_FORMAT = 2;

const require = createRequire(import.meta.url);

/** The package root, found through an exported entry (package.json itself is not exported). */
function typesPackageRoot(): string {
  return dirname(dirname(require.resolve('@salesforce/types/metadata')));
}

function typesPackage(): { version: string; declarations: string } {
  const packageJson = join(typesPackageRoot(), 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return { version, declarations: join(dirname(packageJson), 'lib', 'metadata.d.ts') };
}

function fieldType(node: ts.TypeNode | undefined): FieldSpec {
  if (!node) return { type: 'any', array: false };
  if (ts.isArrayTypeNode(node)) return { type: fieldType(node.elementType).type, array: true };
  if (ts.isTypeReferenceNode(node)) return { type: node.typeName.getText(), array: false };
  if (ts.isParenthesizedTypeNode(node)) return fieldType(node.type);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.LiteralType:
    case ts.SyntaxKind.UnionType:
      return { type: 'string', array: false };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'number', array: false };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean', array: false };
    default:
      return { type: 'any', array: false };
  }
}

function membersOf(literal: ts.TypeLiteralNode | ts.InterfaceDeclaration): Record<string, FieldSpec> {
  const fields: Record<string, FieldSpec> = {};
  for (const member of literal.members) {
    if (ts.isPropertySignature(member) && member.name) {
      fields[member.name.getText()] = fieldType(member.type);
    }
  }
  return fields;
}

function describeAlias(type: ts.TypeNode): TypeSpec {
  if (
    ts.isUnionTypeNode(type) &&
    type.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))
  ) {
    return {
      kind: 'enum',
      values: type.types.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text),
    };
  }
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal))
    return { kind: 'enum', values: [type.literal.text] };
  const parts = ts.isIntersectionTypeNode(type) ? type.types : [type];
  const bases: string[] = [];
  let fields: Record<string, FieldSpec> = {};
  let complex = false;
  for (const part of parts) {
    if (ts.isTypeReferenceNode(part)) {
      bases.push(part.typeName.getText());
      complex = true;
    } else if (ts.isTypeLiteralNode(part)) {
      fields = { ...fields, ...membersOf(part) };
      complex = true;
    }
  }
  return complex ? { kind: 'complex', bases, fields } : { kind: 'simple' };
}

/** Parse metadata.d.ts (syntax only: no type checker needed, which keeps this under a second). */
export function deriveSchema(declarationsPath: string, version: string): MetadataSchema {
  const source = ts.createSourceFile(
    declarationsPath,
    readFileSync(declarationsPath, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const types: Record<string, TypeSpec> = {};
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) {
      types[statement.name.text] = describeAlias(statement.type);
    } else if (ts.isInterfaceDeclaration(statement)) {
      const bases = (statement.heritageClauses ?? []).flatMap((clause) =>
        clause.types.map((t) => t.expression.getText()),
      );
      types[statement.name.text] = { kind: 'complex', bases, fields: membersOf(statement) };
    }
  }
  return { version, types };
}

/**
 * The schema for the installed @salesforce/types, cached as JSON under node_modules/.cache keyed by the
 * package version (derivation parses a 19,000-line file; reading the cache is a few milliseconds).
 */
export function loadMetadataSchema(cacheDir = defaultCacheDir()): MetadataSchema {
  const { version, declarations } = typesPackage();
  const cacheFile = join(cacheDir, `metadata-schema-${version}-f${SCHEMA_FORMAT}.json`);
  if (existsSync(cacheFile)) {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as MetadataSchema;
  }
  const schema = deriveSchema(declarations, version);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(schema));
  return schema;
}

function defaultCacheDir(): string {
  // <repo>/node_modules/@salesforce/types -> <repo>/node_modules/.cache/validate-salesforce
  return join(typesPackageRoot(), '..', '..', '.cache', 'validate-salesforce');
}

/** All fields of a complex type, its bases' first (`Metadata` gives every type `fullName`). */
export function fieldsOf(
  schema: MetadataSchema,
  typeName: string,
  seen = new Set<string>(),
): Record<string, FieldSpec> | undefined {
  const spec = schema.types[typeName];
  if (!spec || spec.kind !== 'complex' || seen.has(typeName)) return undefined;
  seen.add(typeName);
  let fields: Record<string, FieldSpec> = {};
  for (const base of spec.bases) fields = { ...fields, ...(fieldsOf(schema, base, seen) ?? {}) };
  return { ...fields, ...spec.fields };
}
