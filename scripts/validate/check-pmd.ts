import { join, relative, sep } from 'node:path';
import { CodeAnalyzer, CodeAnalyzerConfig, SeverityLevel } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import type { SfdxProject } from './project.ts';
import { REPO_ROOT, javaCommand, requireJava17, stateDir } from './tools.ts';
import type { Problem } from './types.ts';

/** The committed ruleset; its name "Teams Bridge Apex" becomes the rule tag selected below. */
export const PMD_RULESET = join(REPO_ROOT, 'config', 'pmd-ruleset.xml');
const RULESET_TAG = 'TeamsBridgeApex';

/**
 * Check 5: PMD through Salesforce Code Analyzer (core + PMD engine) with config/pmd-ruleset.xml, on the
 * Apex of the package directories. Severity 1-2 (Critical, High) fails; lower severities print as warnings.
 * Code Analyzer's working folders and logs go to the repository's ignored .tmp/.
 */
export async function checkPmd(project: SfdxProject): Promise<Problem[]> {
  await requireJava17();
  const work = stateDir('code-analyzer');
  const config = CodeAnalyzerConfig.fromObject(
    {
      root_working_folder: work,
      log_folder: work,
      engines: {
        pmd: { java_command: javaCommand(), custom_rulesets: [PMD_RULESET] },
        cpd: { disable_engine: true },
      },
    },
    REPO_ROOT,
  );
  const analyzer = new CodeAnalyzer(config);
  await analyzer.addEnginePlugin(createEnginePlugin());
  const workspace = await analyzer.createWorkspace(project.packageDirs);
  const rules = await analyzer.selectRules([`pmd:${RULESET_TAG}`], { workspace });
  if (rules.getCount() === 0) throw new Error(`no rule tagged ${RULESET_TAG}: check ${PMD_RULESET}`);
  const results = await analyzer.run(rules, { workspace });
  const problems: Problem[] = [];
  for (const violation of results.getViolations()) {
    const location = violation.getCodeLocations()[violation.getPrimaryLocationIndex()];
    const file = location?.getFile();
    const severity = violation.getRule().getSeverityLevel();
    problems.push({
      check: 'pmd',
      path: file ? relative(project.root, file).split(sep).join('/') : '.',
      line: location?.getStartLine() ?? 1,
      message: `${violation.getRule().getName()} (severity ${severity}): ${violation.getMessage().trim()}`,
      severity: severity <= SeverityLevel.High ? 'error' : 'warning',
    });
  }
  return problems;
}
