import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config.ts';
import { validEnv } from './helpers/env.ts';

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

test('a complete environment gives typed config with defaults', () => {
  const config = loadConfig(validEnv({ PORT: '0', TASK_BATCH_SIZE: '150', WORKER_ENABLED: 'false' }));
  assert.equal(config.port, 0);
  assert.equal(config.tasks.batchSize, 150);
  assert.equal(config.worker.enabled, false);
  assert.equal(config.database.url, undefined, 'no DATABASE_URL means embedded PostgreSQL');
  assert.equal(
    config.graph.validationTokenIssuer,
    'https://sts.windows.net/11111111-1111-1111-1111-111111111111/',
  );
  assert.equal(config.salesforce.criticalOnlyAbove, 0.8);
  assert.equal(config.salesforce.authFlow, 'jwt');
});

test('every missing required variable is named with what it should be', () => {
  const list = problems({});
  for (const name of ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'SF_CLIENT_ID']) {
    assert.ok(
      list.some((p) => p.startsWith(`${name} is required`)),
      `${name} missing from ${list.join('; ')}`,
    );
  }
  assert.ok(list.some((p) => p.startsWith('SF_USERNAME') && p.includes('SF_AUTH_FLOW=jwt')));
  assert.ok(list.some((p) => p.startsWith('SF_PRIVATE_KEY') && p.includes('SF_PRIVATE_KEY_FILE')));
});

test('invalid values say what they should look like', () => {
  const list = problems(
    validEnv({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      GRAPH_BASE_URL: 'not a url',
      TASK_BATCH_SIZE: '500',
      SF_CRITICAL_ONLY_ABOVE: '80',
      SF_AUTH_FLOW: 'password',
      LOG_LEVEL: 'loud',
    }),
  );
  const find = (name: string) => list.find((p) => p.startsWith(name)) ?? '';
  assert.match(find('PORT'), /whole number/);
  assert.match(find('DATABASE_URL'), /postgres:\/\//);
  assert.match(find('GRAPH_BASE_URL'), /absolute URL/);
  assert.match(find('TASK_BATCH_SIZE'), /at most 200/);
  assert.match(find('SF_CRITICAL_ONLY_ABOVE'), /fraction between 0 and 1/);
  assert.match(find('SF_AUTH_FLOW'), /jwt .*client_credentials/);
  assert.match(find('LOG_LEVEL'), /one of/);
});

test('client credentials flow needs the secret, not a key', () => {
  const env = validEnv({
    SF_AUTH_FLOW: 'client_credentials',
    SF_PRIVATE_KEY: undefined,
    SF_USERNAME: undefined,
  });
  assert.deepEqual(
    problems(env).map((p) => p.split(' ')[0]),
    ['SF_CLIENT_SECRET'],
  );
  assert.equal(loadConfig({ ...env, SF_CLIENT_SECRET: 's' }).salesforce.clientSecret, 's');
});

test('a private key that is not PEM is refused without echoing it', () => {
  const list = problems(validEnv({ SF_PRIVATE_KEY: 'super-secret-not-a-pem' }));
  assert.ok(list.some((p) => p.startsWith('SF_PRIVATE_KEY') && p.includes('PEM')));
  assert.ok(!list.join('\n').includes('super-secret-not-a-pem'));
});

test('a key file that cannot be read is reported with its variable', () => {
  const list = problems(validEnv({ SF_PRIVATE_KEY: undefined, SF_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }));
  assert.match(list[0] ?? '', /^SF_PRIVATE_KEY_FILE: cannot read/);
});

test('.env.example documents every variable the schema reads', async () => {
  const { readFile } = await import('node:fs/promises');
  const example = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
  assert.ok(CONFIG_VARIABLES.length > 20);
  for (const name of CONFIG_VARIABLES) assert.ok(documented.has(name), `${name} is not in .env.example`);
});
