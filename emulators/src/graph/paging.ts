/** $top / $skiptoken paging and $deltatoken state, with opaque tokens as Graph uses. */
import type { Request } from 'express';
import { badRequest } from './errors.ts';

export function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string, name: string): T {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw badRequest(
      `The ${name} '${token.slice(0, 40)}' is badly formed; use the link Graph returned unchanged.`,
    );
  }
}

export function pageSize(req: Request, fallback: number, max: number): number {
  const raw = req.query.$top;
  if (raw === undefined) return fallback;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw badRequest(
      `Invalid page size specified: '${String(raw)}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return top;
}

/** The absolute URL of this request with some query parameters replaced. */
export function linkWith(baseUrl: string, req: Request, params: Record<string, string | undefined>): string {
  const url = new URL(req.originalUrl, baseUrl);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  // Graph writes OData parameter names with a literal `$` ($skiptoken, $deltatoken).
  return url.toString().replace(/([?&])%24/g, '$1$');
}

/** Keyset paging over items sorted by a descending numeric key, stable while new items arrive. */
export function keysetPage<T>(
  items: T[],
  key: (item: T) => number,
  req: Request,
  baseUrl: string,
  size: number,
): { value: T[]; nextLink?: string } {
  const sorted = [...items].sort((a, b) => key(b) - key(a));
  const token =
    typeof req.query.$skiptoken === 'string'
      ? decodeToken<{ before: number }>(req.query.$skiptoken, '$skiptoken')
      : undefined;
  const remaining = token ? sorted.filter((item) => key(item) < token.before) : sorted;
  const value = remaining.slice(0, size);
  if (remaining.length <= size) return { value };
  const last = value[value.length - 1]!;
  return {
    value,
    nextLink: linkWith(baseUrl, req, { $top: String(size), $skiptoken: encodeToken({ before: key(last) }) }),
  };
}
