/** The offline checks, in the order they are reported. */
export const CHECK_NAMES = [
  'components',
  'xml',
  'references',
  'access',
  'tests',
  'apex',
  'pmd',
  'convert',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** One problem found by a check: `path:line: [check] message`, path relative to the project root. */
export type Problem = {
  check: CheckName;
  path: string;
  line: number;
  message: string;
  /** Warnings are printed but do not fail the validation (PMD severity 3 and lower). */
  severity?: 'error' | 'warning';
};

export type CheckResult = {
  check: CheckName;
  problems: Problem[];
  millis: number;
};

export function formatProblem(problem: Problem): string {
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.path}:${problem.line}: [${problem.check}] ${prefix}${problem.message}`;
}
