import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLEAN_FIXTURE = fileURLToPath(new URL('./fixtures/clean', import.meta.url));
export const DEFAULT = 'force-app/main/default';

/** A throw-away copy of the clean fixture project, to break in one way per test. */
export class FixtureCopy {
  readonly root = mkdtempSync(join(tmpdir(), 'validate-salesforce-'));

  constructor() {
    cpSync(CLEAN_FIXTURE, this.root, { recursive: true });
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  write(rel: string, content: string): void {
    writeFileSync(this.path(rel), content);
  }

  /** Replace text in a file; fails loudly when the text is not there (the fixture changed). */
  replace(rel: string, from: string, to: string): void {
    const text = readFileSync(this.path(rel), 'utf8');
    if (!text.includes(from)) throw new Error(`${rel} does not contain ${JSON.stringify(from)}`);
    writeFileSync(this.path(rel), text.replace(from, to));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const APEX_META = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;
