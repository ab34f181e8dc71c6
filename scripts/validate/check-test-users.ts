import { readFileSync } from 'node:fs';
import type { ApexUnit, CallSite } from './apex-calls.ts';
import { callsIn, parseApexUnit, runAsBlocks } from './apex-calls.ts';
import { lineOf } from './apex-source.ts';
import type { SfdxProject } from './project.ts';
import type { Problem } from './types.ts';

const USER_MODE = /\bWITH\s+USER_MODE\b|\bAccessLevel\s*\.\s*USER_MODE\b/i;

const inside = (offset: number, spans: { start: number; end: number }[]): boolean =>
  spans.some((s) => offset > s.start && offset < s.end);

/**
 * Check: no Apex test reaches USER_MODE code as the running user. A production deploy runs the tests as the
 * deploying admin before any permission set can be assigned, and fields deployed without profiles are
 * visible to no profile: a test that reaches `WITH USER_MODE` / `AccessLevel.USER_MODE` must do it inside
 * `System.runAs` of a user it built and gave the permission set.
 *
 * The call graph is lexical and deliberately narrow so that every report is real: static calls
 * `Class.method(`, constructors and chained `new Class(...).method(`, and same-class `method(`; calls made
 * inside `System.runAs { }` do not count. Calls through variables are not followed (no false reports).
 */
export function checkTestUsers(project: SfdxProject): Problem[] {
  const units: ApexUnit[] = [];
  for (const component of project.components) {
    if (component.type.name !== 'ApexClass' || !component.content) continue;
    units.push(parseApexUnit(component.fullName, component.content, readFileSync(component.content, 'utf8')));
  }
  const classes = new Set(units.map((u) => u.className.toLowerCase()));
  const calls = new Map<string, CallSite[]>();
  const reaches = new Map<string, string>(); // method key -> the USER_MODE method it reaches
  for (const unit of units) {
    const runAs = runAsBlocks(unit.blanked);
    for (const method of unit.methods) {
      const sites = callsIn(unit, method.body, classes).filter((c) => !inside(c.offset, runAs));
      calls.set(method.key, [...(calls.get(method.key) ?? []), ...sites]);
      if (!unit.isTest && USER_MODE.test(unit.code.slice(method.body.start, method.body.end)))
        reaches.set(method.key, `${unit.className}.${method.name}`);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, sites] of calls) {
      if (reaches.has(key)) continue;
      const hit = sites.find((s) => reaches.has(s.target));
      if (hit) {
        reaches.set(key, reaches.get(hit.target)!);
        changed = true;
      }
    }
  }
  const problems: Problem[] = [];
  for (const unit of units.filter((u) => u.isTest)) {
    const runAs = runAsBlocks(unit.blanked);
    for (const method of unit.methods.filter((m) => /@(IsTest|TestSetup)\b/i.test(m.annotations))) {
      for (const site of callsIn(unit, method.body, classes)) {
        if (inside(site.offset, runAs) || !reaches.has(site.target)) continue;
        if (site.target.startsWith(`${unit.className.toLowerCase()}.`) && !reaches.has(site.target)) continue;
        const called = unit.blanked.slice(site.offset).match(/^(new\s+)?[\w.]+/)?.[0] ?? site.target;
        problems.push({
          check: 'tests',
          path: project.rel(unit.file),
          line: lineOf(unit.source, site.offset),
          message: `${unit.className}.${method.name} calls ${called.replace(/\s+/g, ' ')}, which reaches USER_MODE code (${reaches.get(site.target)}), outside System.runAs: a production deploy runs tests as the deploying admin before any permission set is assigned, so build a user, assign the permission set and make the call inside System.runAs(user) { ... }`,
        });
      }
    }
  }
  return problems;
}
