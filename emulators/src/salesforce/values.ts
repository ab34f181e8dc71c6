import { SalesforceApiError } from './errors.ts';
import type { FieldDef } from './schema/types.ts';

// Converts JSON request values to the stored form of a field's type. A value that cannot be read as the
// field's type fails the whole request with JSON_PARSER_ERROR, as the REST API's deserializer does.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Salesforce's datetime wire format: 2024-05-01T09:30:00.000+0000. */
export function formatDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && formatDate(d) === value;
}

export function parseDateTime(value: string): Date | undefined {
  if (!DATETIME_RE.test(value)) return undefined;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(normalised);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
}

function parserError(javaType: string, value: unknown): SalesforceApiError {
  const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return new SalesforceApiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${jsonKind(value)} value ${shown} or request may be missing a required field`,
  );
}

export function coerceValue(field: FieldDef, value: unknown): unknown {
  if (value === null) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parserError('boolean', value);
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) throw parserError(field.type === 'int' ? 'int' : 'double', value);
      return n;
    }
    case 'date':
      if (typeof value === 'string' && isValidDate(value)) return value;
      throw parserError('date', value);
    case 'datetime': {
      const d = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (!d) throw parserError('datetime', value);
      return formatDateTime(d);
    }
    default:
      if (typeof value === 'object') throw parserError('string', value);
      return String(value);
  }
}
