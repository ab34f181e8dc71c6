/**
 * Builds the Teams app package for upload (Teams admin center, or "Upload a custom app"):
 * `teams-app/build/teams-bridge.zip` with manifest.json, color.png and outline.png. Values come from the
 * environment: TEAMS_APP_ID (a GUID of your choosing, stable across versions), BOT_APP_ID (the Entra app
 * registration's client id, the same as GRAPH_CLIENT_ID) and PUBLIC_BASE_URL (the service's https address).
 *
 *   TEAMS_APP_ID=... BOT_APP_ID=... PUBLIC_BASE_URL=https://bridge.example.com npm run teams-app:package
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bridgeIcon } from './png.ts';
import { zip } from './zip.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function buildManifest(env: Record<string, string | undefined>): Record<string, unknown> {
  const problems: string[] = [];
  if (!GUID.test(env.TEAMS_APP_ID ?? '')) problems.push('TEAMS_APP_ID must be a GUID (the Teams app id)');
  if (!GUID.test(env.BOT_APP_ID ?? ''))
    problems.push('BOT_APP_ID must be the Entra app registration client id (GUID)');
  let host = '';
  try {
    const url = new URL(env.PUBLIC_BASE_URL ?? '');
    if (url.protocol !== 'https:') throw new Error('not https');
    host = url.host;
  } catch {
    problems.push(
      'PUBLIC_BASE_URL must be the https address of the service, e.g. https://bridge.example.com',
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const text = readFileSync(join(root, 'manifest.template.json'), 'utf8')
    .replaceAll('${TEAMS_APP_ID}', env.TEAMS_APP_ID!)
    .replaceAll('${BOT_APP_ID}', env.BOT_APP_ID!)
    .replaceAll('${PUBLIC_HOST}', host)
    .replaceAll('${PUBLIC_BASE_URL}', env.PUBLIC_BASE_URL!.replace(/\/+$/, ''));
  return JSON.parse(text) as Record<string, unknown>;
}

export function buildPackage(env: Record<string, string | undefined>): Buffer {
  const manifest = buildManifest(env);
  return zip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: 'color.png', data: bridgeIcon(192, false) },
    { name: 'outline.png', data: bridgeIcon(32, true) },
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const out = join(root, 'build', 'teams-bridge.zip');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, buildPackage(process.env));
    process.stdout.write(`wrote ${out}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}
