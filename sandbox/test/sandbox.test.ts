import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsforce from 'jsforce';
import type { ConnectionInfo } from '../src/connection-file.ts';

const sandboxDir = new URL('..', import.meta.url).pathname;

test('npm start sandbox: a message posted as the demo Teams user becomes a Task jsforce can query; Ctrl-C stops cleanly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-sandbox-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the data directory
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Its own process group, so the SIGINT below reaches every process as Ctrl-C in a terminal does.
  // What `npm start` runs: the launcher trusts the stand-in CA and starts the sandbox.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/launch-with-stand-in-ca.ts', 'src/start.ts'],
    {
      cwd: sandboxDir,
      env: { ...process.env, SANDBOX_DIR: dir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode !== null) return;
    // SIGTERM reaches the launcher, which passes it on to the sandbox (in its own group) for a clean stop.
    process.kill(-child.pid!, 'SIGTERM');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 20_000)),
    ]);
    if (!stopped) process.kill(-child.pid!, 'SIGKILL');
  });

  // A first start compiles the workbench (tens of seconds on two cores); later starts reuse the bundle.
  const deadline = Date.now() + 240_000;
  while (!out.includes('Sandbox ready')) {
    assert.ok(Date.now() < deadline, `the sandbox did not get ready:\n${out}`);
    assert.equal(child.exitCode, null, `the sandbox exited early:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const info = JSON.parse(readFileSync(join(dir, 'connection.json'), 'utf8')) as ConnectionInfo;
  assert.match(info.service.notificationUrl, /^http:\/\/127\.0\.0\.1:\d+\/graph\/notifications$/);
  assert.ok(info.graph.clientSecret && info.salesforce.clientId && info.graph.demoUser.password);
  assert.match(out, /curl --cacert/);
  // The workbench opens on the demo Opportunity's record page and serves the compiled pages.
  assert.match(info.workbench.url, /^http:\/\/127\.0\.0\.1:\d+\/lightning\/r\/Opportunity\/006\w+\/view$/);
  const pageHtml = await (await fetch(info.workbench.url)).text();
  assert.match(pageHtml, /salesforce-lightning-design-system/);
  const bundle = await fetch(new URL('/workbench/app.js', info.workbench.url));
  assert.equal(bundle.status, 200);
  assert.match(await bundle.text(), /teams-conversation/);

  // Post as the demo user through the Graph stand-in's HTTP control API (what the printed curl does).
  const posted = await fetch(`${info.graph.controlUrl}/postMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      teamId: '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0',
      channelId: '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2',
      from: info.graph.demoUser.username,
      content: '<p>Sandbox check: we need a <b>pricing exception</b> for Contoso</p>',
    }),
  });
  assert.equal(posted.status, 200, await posted.clone().text());

  // The Task, read with jsforce as the demo admin (OAuth username-password flow).
  const conn = new jsforce.Connection({
    oauth2: {
      loginUrl: info.salesforce.loginUrl,
      clientId: info.salesforce.clientId,
      clientSecret: info.salesforce.clientSecret,
    },
    version: info.salesforce.apiVersion,
  });
  await conn.login(info.salesforce.adminUser.username, info.salesforce.adminUser.password);
  let records: { Subject: string; WhatId: string; Description: string }[] = [];
  while (records.length === 0) {
    assert.ok(Date.now() < deadline, `no Task appeared:\n${out}`);
    records = (
      await conn.query<{ Subject: string; WhatId: string; Description: string }>(
        'SELECT Subject, WhatId, Description FROM Task WHERE Teams_Message_Id__c != null',
      )
    ).records;
    if (records.length === 0) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(records.length, 1);
  assert.match(records[0]!.Subject, /pricing exception/i);
  assert.match(records[0]!.WhatId, /^006/);

  // Moving the Opportunity to the handoff stage through the REST API posts the handoff card in the channel.
  const opportunityId = records[0]!.WhatId;
  await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Qualification' });
  let link: string | null = null;
  while (!link) {
    assert.ok(Date.now() < deadline, `no handoff card link came back to Salesforce:\n${out}`);
    const [opp] = (
      await conn.query<{ Teams_Message_Url__c: string | null }>(
        `SELECT Teams_Message_Url__c FROM Opportunity WHERE Id = '${opportunityId}'`,
      )
    ).records;
    link = opp?.Teams_Message_Url__c ?? null;
    if (!link) await new Promise((r) => setTimeout(r, 250));
  }
  const messages = (await (
    await fetch(
      `${info.graph.controlUrl}/messages?teamId=7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0&channelId=${encodeURIComponent('19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2')}`,
    )
  ).json()) as { from: { application: unknown }; attachments: { content: string }[] }[];
  const cards = messages.filter((m) => m.from.application && m.attachments.length > 0);
  assert.equal(cards.length, 1);
  assert.match(cards[0]!.attachments[0]!.content, /Opportunity ready for handoff/);

  process.kill(-child.pid!, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise((r) => {
      timer = setTimeout(() => r('timeout'), 30_000);
    }),
  ]);
  clearTimeout(timer);
  assert.equal(code, 0, `the sandbox did not stop cleanly:\n${out}`);
  assert.match(out, /Sandbox stopped\./);
});
