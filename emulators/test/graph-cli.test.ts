import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeJwt } from 'jose';

const dir = mkdtempSync(join(tmpdir(), 'emulators-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run emulators (src/cli.ts)', () => {
  it('starts both stand-ins, writes connection.json a script can act on, and removes it on SIGTERM', async () => {
    const file = join(dir, 'connection.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--connection-file', file], {
      cwd: new URL('..', import.meta.url),
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 15_000;
      while (!output.includes('Press Ctrl+C')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`cli did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.doesNotMatch(output, /clientSecret|Passw0rd/, 'no secrets printed');
      const connection = JSON.parse(readFileSync(file, 'utf8'));
      for (const key of [
        'authorityHost',
        'tenantId',
        'clientId',
        'clientSecret',
        'baseUrl',
        'caFile',
        'controlUrl',
      ]) {
        assert.equal(typeof connection.graph[key], 'string', `graph.${key}`);
      }
      for (const key of ['loginUrl', 'instanceUrl', 'clientId', 'clientSecret', 'username', 'controlUrl']) {
        assert.equal(typeof connection.salesforce[key], 'string', `salesforce.${key}`);
      }
      assert.equal(typeof connection.salesforce.adminUser.password, 'string');
      // The demo Teams user signs in with nothing but what connection.json says.
      const { graph } = connection;
      const token = await fetch(`${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: graph.clientId,
          client_secret: graph.clientSecret,
          username: graph.demoUser.username,
          password: graph.demoUser.password,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      assert.equal(token.status, 200);
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      assert.equal(decodeJwt(accessToken).upn, graph.demoUser.username);
      const me = await fetch(`${graph.baseUrl}/v1.0/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      assert.equal(
        ((await me.json()) as { userPrincipalName: string }).userPrincipalName,
        graph.demoUser.username,
      );
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    assert.equal(existsSync(file), false, 'connection.json removed on stop');
  });
});
