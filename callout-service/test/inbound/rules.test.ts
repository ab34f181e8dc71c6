import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRules, normalizeForMatch, termPattern } from '../../src/inbound/rules.ts';
import { splitTerms, type Rule } from '../../src/salesforce/directory.ts';

const rule = (over: Partial<Rule>): Rule => ({
  developerName: 'Deal_Desk_Keywords',
  label: 'Deal desk keywords',
  kind: 'Keyword',
  terms: ['discount', 'pricing exception', 'MSA'],
  action: 'Task',
  subjectTemplate: '{rule}: {term}',
  priority: 'High',
  dueInDays: 1,
  critical: true,
  active: true,
  ...over,
});

const dealDesk = rule({});
const competitors = rule({
  developerName: 'Competitor_Mentions',
  kind: 'Competitor',
  terms: ['Acme Corp', 'Globex', 'Initech', 'Société Générale'],
  action: 'Flag',
  critical: false,
});

test('normalizeForMatch strips accents and case', () => {
  assert.equal(normalizeForMatch('Résumé ÉLAN Ångström'), 'resume elan angstrom');
});

test('terms match on word boundaries only', () => {
  assert.ok(termPattern('MSA').test(normalizeForMatch('Please send the MSA today')));
  assert.ok(!termPattern('MSA').test(normalizeForMatch('MSAs and HMSA do not count')));
  assert.ok(!termPattern('discount').test(normalizeForMatch('discounted')));
  assert.ok(termPattern('discount').test(normalizeForMatch('(discount)!')));
});

test('multi-word terms tolerate extra spaces and line breaks', () => {
  const [m] = matchRules('we need a pricing\n   exception here', [dealDesk]);
  assert.equal(m?.term, 'pricing exception');
});

test('matching is case- and accent-insensitive in both directions', () => {
  assert.equal(matchRules('talked to societe generale and ACME corp', [competitors])[0]?.term, 'Acme Corp');
  assert.equal(matchRules('Société GÉNÉRALE called', [competitors])[0]?.term, 'Société Générale');
  assert.equal(matchRules('DISCOUNT please', [dealDesk]).length, 1);
});

test('one message can match several rules; inactive rules never match', () => {
  const matches = matchRules('Globex asks for a discount', [
    dealDesk,
    competitors,
    rule({ developerName: 'Off', active: false }),
  ]);
  assert.deepEqual(
    matches.map((m) => m.rule.developerName),
    ['Deal_Desk_Keywords', 'Competitor_Mentions'],
  );
});

test('criticalOnly keeps deal desk and pauses competitor flags', () => {
  const matches = matchRules('Globex asks for a discount', [dealDesk, competitors], { criticalOnly: true });
  assert.deepEqual(
    matches.map((m) => m.rule.developerName),
    ['Deal_Desk_Keywords'],
  );
});

test('regex metacharacters in terms are literal', () => {
  const r = rule({ terms: ['C++', 'a.b'] });
  assert.equal(matchRules('we use axb', [r]).length, 0);
  assert.equal(matchRules('we use a.b', [r]).length, 1);
});

test('splitTerms accepts lines and commas', () => {
  assert.deepEqual(splitTerms('discount\r\npricing exception, legal review\n\n,MSA'), [
    'discount',
    'pricing exception',
    'legal review',
    'MSA',
  ]);
});
