/**
 * npm run validate:salesforce [-- <path to an SFDX project>] [--only check,check]
 * Offline checks for a Salesforce DX project (default: this repository). Prints one line per problem,
 * `path:line: [check] message`, then a summary; exits 1 on any error (warnings do not fail).
 */
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './validate/tools.ts';
import type { CheckName } from './validate/types.ts';
import { CHECK_NAMES, formatProblem } from './validate/types.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' } },
  });
  const only = values.only ? values.only.split(',').map((name) => name.trim()) : [...CHECK_NAMES];
  const unknown = only.filter((name) => !(CHECK_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`unknown check ${unknown.join(', ')}: choose from ${CHECK_NAMES.join(', ')}`);
    return 2;
  }
  const root = positionals[0] ?? REPO_ROOT;
  // Loaded after the arguments are checked: SDR and Code Analyzer take seconds to import.
  const { failures, runChecks } = await import('./validate/run-checks.ts');
  const started = performance.now();
  const results = await runChecks(root, only as CheckName[]);
  for (const result of results) for (const problem of result.problems) console.log(formatProblem(problem));
  const errors = failures(results).length;
  const warnings = results.flatMap((r) => r.problems).length - errors;
  const perCheck = results
    .map(
      (r) =>
        `${r.check} ${r.problems.filter((p) => p.severity !== 'warning').length} (${(r.millis / 1000).toFixed(1)}s)`,
    )
    .join(', ');
  console.log(
    `validate:salesforce: ${errors} problem${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''} in ${((performance.now() - started) / 1000).toFixed(1)}s — ${perCheck}`,
  );
  return errors > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`validate:salesforce: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
