import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this validator lives in: its ignored .tmp/ folder holds every tool's state and output. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function stateDir(...parts: string[]): string {
  const dir = join(REPO_ROOT, '.tmp', 'validate-salesforce', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type RunResult = { code: number | null; stdout: string; stderr: string };

export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** `java` from JAVA_HOME, else the PATH. */
export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return 'java';
}

/** Fails with what to install when Java 17+ is missing: the apex and pmd checks run on the JVM. */
export async function requireJava17(): Promise<string> {
  const java = javaCommand();
  let result: RunResult;
  try {
    result = await run(java, ['-version']);
  } catch {
    throw new Error(
      'Java not found: the apex and pmd checks need Java 17 or later. Install a JDK 17 (e.g. `apt-get install openjdk-17-jdk-headless`) or set JAVA_HOME.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr + result.stdout)?.[1];
  if (!version || Number(version) < 17) {
    throw new Error(
      `Java ${version ?? '(unknown version)'} found at ${java}: the apex and pmd checks need Java 17 or later. Install a JDK 17 or point JAVA_HOME at one.`,
    );
  }
  return java;
}

const require = createRequire(import.meta.url);

/** The PMD engine's bundled jars (PMD, apex-ls and their dependencies). */
export function pmdEngineJavaLib(): string {
  const main = require.resolve('@salesforce/code-analyzer-pmd-engine');
  return join(dirname(main), 'java-lib');
}

/** The repository's own sf CLI (a dev dependency), never a global one. */
export function sfBin(): string {
  const bin = join(REPO_ROOT, 'node_modules', '.bin', 'sf');
  if (!existsSync(bin))
    throw new Error(
      `${bin} not found: run npm install at the repository root (@salesforce/cli is a dev dependency)`,
    );
  return bin;
}
