import { SalesforceApiError } from '../errors.ts';

// SOQL errors carry the query, a caret under the offending token and its row/column, as the real API does.

export function locate(soql: string, token: string): { row: number; column: number } {
  let index = token === '' ? soql.length : soql.toLowerCase().indexOf(token.toLowerCase());
  if (index < 0) index = 0;
  const before = soql.slice(0, index);
  const row = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return { row, column };
}

export function queryError(
  errorCode: string,
  soql: string,
  token: string,
  detail: string,
): SalesforceApiError {
  const { row, column } = locate(soql, token);
  const line = soql.split('\n')[row - 1] ?? soql;
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  return new SalesforceApiError(
    400,
    errorCode,
    `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${detail}`,
  );
}

export const noSuchColumn = (
  soql: string,
  token: string,
  field: string,
  entity: string,
): SalesforceApiError =>
  queryError(
    'INVALID_FIELD',
    soql,
    token,
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const unknownRelationship = (soql: string, token: string, relationship: string): SalesforceApiError =>
  queryError(
    'INVALID_FIELD',
    soql,
    token,
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const unsupportedType = (soql: string, name: string): SalesforceApiError =>
  queryError(
    'INVALID_TYPE',
    soql,
    name,
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

/** Turns a soql-parser-js (chevrotain) error into Salesforce's "unexpected token" message. */
export function malformed(soql: string, err: Error): SalesforceApiError {
  const found = /found:? -*>? ?'([^']*)'/.exec(err.message) ?? /found --> '([^']*)' <--/.exec(err.message);
  const lex = /unexpected character: ->(.)<-/.exec(err.message);
  const token = lex ? lex[1]! : (found?.[1] ?? '');
  return queryError(
    'MALFORMED_QUERY',
    soql,
    token,
    `unexpected token: ${token === '' ? '<EOF>' : `'${token}'`}`,
  );
}
