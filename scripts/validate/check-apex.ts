import { relative, sep } from 'node:path';
import type { SfdxProject } from './project.ts';
import { pmdEngineJavaLib, requireJava17, run, stateDir } from './tools.ts';
import type { Problem } from './types.ts';

type ApexLsReport = {
  files?: { path: string; messages: { start: { line: number }; category: string; message: string }[] }[];
};

/**
 * Check 4: Apex semantics (unknown types, fields, methods, wrong signatures) with apex-ls's
 * CheckForIssues, the jar that ships inside @salesforce/code-analyzer-pmd-engine. It reads the whole SFDX
 * project (sfdx-project.json, objects, classes) and prints JSON:
 * { files: [ { path, messages: [ { start: { line, offset }, category, message } ] } ] }.
 * It does not check SOQL field names nor Task/Event fields: the references check covers those.
 */
export async function checkApexSemantics(project: SfdxProject): Promise<Problem[]> {
  const java = await requireJava17();
  const args = [
    '-cp',
    `${pmdEngineJavaLib()}/*`,
    'io.github.apexdevtools.apexls.CheckForIssues',
    '--workspace',
    project.root,
    '--format',
    'json',
    '--nocache',
  ];
  // apex-ls may write a cache under HOME: keep it in the repository's ignored .tmp/.
  const result = await run(java, args, {
    cwd: project.root,
    env: { ...process.env, HOME: stateDir('apex-ls-home') },
  });
  const json = result.stdout.slice(result.stdout.indexOf('{'));
  let report: ApexLsReport;
  try {
    report = JSON.parse(json) as ApexLsReport;
  } catch {
    return [
      {
        check: 'apex',
        path: 'sfdx-project.json',
        line: 1,
        message: `apex-ls failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 500)}`,
      },
    ];
  }
  return (report.files ?? []).flatMap((file) =>
    file.messages.map((message) => ({
      check: 'apex' as const,
      path: relative(project.root, file.path).split(sep).join('/'),
      line: message.start.line,
      message: `${message.category}: ${message.message}`,
    })),
  );
}
