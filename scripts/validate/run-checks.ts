import { checkAccess } from './check-access.ts';
import { checkApexSemantics } from './check-apex.ts';
import { checkComponents } from './check-components.ts';
import { checkConvert } from './check-convert.ts';
import { checkPmd } from './check-pmd.ts';
import { checkReferences } from './check-references.ts';
import { checkTestUsers } from './check-test-users.ts';
import { checkXml } from './check-xml.ts';
import type { SfdxProject } from './project.ts';
import { loadProject } from './project.ts';
import type { CheckName, CheckResult, Problem } from './types.ts';
import { CHECK_NAMES } from './types.ts';

const CHECKS: Record<CheckName, (project: SfdxProject) => Problem[] | Promise<Problem[]>> = {
  components: checkComponents,
  xml: checkXml,
  references: checkReferences,
  access: checkAccess,
  tests: checkTestUsers,
  apex: checkApexSemantics,
  pmd: checkPmd,
  convert: checkConvert,
};

async function timed(check: CheckName, project: SfdxProject): Promise<CheckResult> {
  const start = performance.now();
  let problems: Problem[];
  try {
    problems = await CHECKS[check](project);
  } catch (error) {
    // A check that cannot run is a failure, with its reason: never a silent pass.
    problems = [
      {
        check,
        path: 'sfdx-project.json',
        line: 1,
        message: `check could not run: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  return { check, problems, millis: performance.now() - start };
}

/**
 * Run the checks on an SFDX project. The JVM and sf CLI checks (apex, pmd, convert) start first and run
 * concurrently in child processes while the in-process checks run; results come back in CHECK_NAMES order.
 */
export async function runChecks(
  root: string,
  only: readonly CheckName[] = CHECK_NAMES,
): Promise<CheckResult[]> {
  const project = loadProject(root);
  const slow = only
    .filter((c) => c === 'apex' || c === 'pmd' || c === 'convert')
    .map((c) => timed(c, project));
  const fast: CheckResult[] = [];
  for (const check of only.filter((c) => c !== 'apex' && c !== 'pmd' && c !== 'convert'))
    fast.push(await timed(check, project));
  const all = [...fast, ...(await Promise.all(slow))];
  return CHECK_NAMES.flatMap((name) => all.filter((r) => r.check === name));
}

export function failures(results: CheckResult[]): Problem[] {
  return results.flatMap((r) => r.problems).filter((p) => p.severity !== 'warning');
}
