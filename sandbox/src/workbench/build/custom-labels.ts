import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

/** The package's custom labels (`labels/CustomLabels.labels-meta.xml`), by API name, as the org serves them. */
export function readCustomLabels(file: string): Map<string, string> {
  const parser = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false });
  const doc = parser.parse(readFileSync(file, 'utf8')) as {
    CustomLabels?: { labels?: { fullName: string; value: string }[] };
  };
  return new Map((doc.CustomLabels?.labels ?? []).map((label) => [label.fullName, String(label.value)]));
}
