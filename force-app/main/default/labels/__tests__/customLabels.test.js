// The custom labels as Salesforce stores them: values exactly as users read them, every label a component
// imports defined, plural pairs complete, and no two controls of one form announced with the same name.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const DEFAULT_DIR = join(__dirname, '..', '..');
const LABELS_FILE = join(DEFAULT_DIR, 'labels', 'CustomLabels.labels-meta.xml');
const LWC_DIR = join(DEFAULT_DIR, 'lwc');

// Keep whitespace: a value is deployed as written, stray newlines and indentation included.
const parser = new XMLParser({ trimValues: false, isArray: (name) => name === 'labels' });
const labels = parser.parse(readFileSync(LABELS_FILE, 'utf8')).CustomLabels.labels;
const valueOf = new Map(labels.map((label) => [String(label.fullName).trim(), String(label.value)]));

function componentSources() {
  return readdirSync(LWC_DIR, { recursive: true })
    .filter((file) => file.endsWith('.js') && !file.includes('__tests__'))
    .map((file) => readFileSync(join(LWC_DIR, file), 'utf8'));
}

describe('custom labels', () => {
  it('holds each value on one line, without surrounding whitespace', () => {
    const untidy = [...valueOf].filter(([, value]) => value !== value.trim() || /[\r\n]/.test(value));
    expect(untidy).toEqual([]);
  });

  it('defines every label a component imports', () => {
    const imported = new Set(
      componentSources().flatMap((source) =>
        [...source.matchAll(/@salesforce\/label\/c\.(\w+)/g)].map((match) => match[1]),
      ),
    );
    expect([...imported].filter((name) => !valueOf.has(name))).toEqual([]);
  });

  it('pairs each counted phrase: a "One" label with an "Other" label, both showing the count', () => {
    const ones = [...valueOf.keys()].filter((name) => name.endsWith('One'));
    expect(ones.length).toBeGreaterThan(0);
    for (const one of ones) {
      const other = `${one.slice(0, -'One'.length)}Other`;
      expect(valueOf.get(other)).toContain('{0}');
      expect(valueOf.get(one)).toContain('{0}');
    }
  });

  it('names the two controls of the channel link form differently', () => {
    // The existing/new toggle and the channel list sit in one form; a screen reader reads both names.
    expect(valueOf.get('TB_LinkMode')).not.toBe(valueOf.get('TB_Channel'));
  });
});
