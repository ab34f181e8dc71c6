import { join, sep } from 'node:path';
import { rmSync } from 'node:fs';
import type { SfdxProject } from './project.ts';
import { run, sfBin, stateDir } from './tools.ts';
import type { Problem } from './types.ts';

/**
 * Check 6: `sf project convert source` (source format -> Metadata API format) succeeds, with the
 * repository's own sf CLI, telemetry and update checks off, and its HOME/config/cache/data in the
 * repository's ignored .tmp/ so nothing lands in the user's home.
 */
export async function checkConvert(project: SfdxProject): Promise<Problem[]> {
  const home = stateDir('sf-home');
  const output = join(stateDir('convert'), `out-${process.pid}-${Date.now()}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SFDX_AUTOUPDATE_DISABLE: 'true',
    SF_USE_PROGRESS_BAR: 'false',
    NODE_OPTIONS: '',
  };
  const args = ['project', 'convert', 'source', '--output-dir', output, '--json'];
  for (const dir of project.packageDirs) args.push('--source-dir', dir);
  try {
    const result = await run(sfBin(), args, { cwd: project.root, env });
    if (result.code === 0) return [];
    let message = (result.stderr || result.stdout).trim();
    try {
      const json = JSON.parse(result.stdout) as { name?: string; message?: string };
      message = [json.name, json.message].filter(Boolean).join(': ');
    } catch {
      // not JSON: keep the raw text
    }
    // SDR names the file it could not read ("error parsing <path> due to:\n message: ...\n line: N", or
    // "<path>: Expected source files ..."): report the problem there.
    const file =
      /error parsing (.+?) due to/.exec(message)?.[1] ??
      message.match(new RegExp(`${project.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^:\\n]*`))?.[0];
    const line = Number(/line: (\d+)/.exec(message)?.[1] ?? 1);
    const path = file && file.startsWith(project.root) ? project.rel(file) : 'sfdx-project.json';
    const text = message
      .replaceAll(project.root + sep, '')
      .replace(/\\n|\n/g, ' ')
      .replace(/\s+/g, ' ');
    return [
      { check: 'convert', path, line, message: `sf project convert source failed: ${text.slice(0, 600)}` },
    ];
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}
