import type { ConnectionInfo } from './connection-file.ts';
import type { DemoData } from './demo-data.ts';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The sandbox's welcome text: where everything runs and three things to try. */
export function whatToTry(input: {
  info: ConnectionInfo;
  connectionFile: string;
  team: { id: string; name: string };
  channel: { id: string; name: string };
  demo: DemoData;
  /** The service runs the transcript pipeline (TRANSCRIPTS_ENABLED). */
  transcripts: boolean;
}): string {
  const { info, team, channel, demo } = input;
  const meeting = input.transcripts
    ? `4. In the workbench's simulation panel, run a meeting transcript: ${demo.meetings.organizer.displayName} meets
   ${demo.meetings.customer.displayName} (${demo.meetings.customer.email}, on the website of ${demo.meetings.accountName});
   its action items become Tasks on the Opportunity; a prospect no Account knows lands on Unassigned meetings.
`
    : `4. Meeting transcripts are off (TRANSCRIPTS_ENABLED=false): the simulation panel cannot run one.
`;
  const post = JSON.stringify({
    teamId: team.id,
    channelId: channel.id,
    from: demo.mappedUser.teamsUpn,
    content: '<p>Can deal desk approve a 15% <b>discount</b> for Contoso?</p>',
  });
  const soql =
    'SELECT Subject, OwnerId, WhatId, Priority, Teams_Message_Id__c FROM Task WHERE Teams_Message_Id__c != null';
  const jsforce = [
    `import jsforce from 'jsforce'; import { readFileSync } from 'node:fs';`,
    `const c = JSON.parse(readFileSync(${JSON.stringify(input.connectionFile)}, 'utf8')).salesforce;`,
    `const conn = new jsforce.Connection({ oauth2: { loginUrl: c.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret } });`,
    `await conn.login(c.adminUser.username, c.adminUser.password);`,
    `console.table((await conn.query(${JSON.stringify(soql)})).records);`,
  ].join('\n    ');
  return `
Teams Bridge sandbox
  workbench            ${info.workbench.url}
                       (the Lightning pages in a browser; setup tab ${info.workbench.setupUrl}; ${info.workbench.bundleFromCache ? 'bundle from cache' : `built in ${(info.workbench.buildMs / 1000).toFixed(1)} s`})
  service              ${info.service.baseUrl}   (webhook ${info.service.notificationUrl})
  Graph / Entra stand-in ${info.graph.baseUrl}   (control API ${info.graph.controlUrl})
  Salesforce stand-in  ${info.salesforce.instanceUrl}   (control API ${info.salesforce.controlUrl})
  connection details   ${input.connectionFile}

Demo data: the "${channel.name}" channel of team "${team.name}" is linked to the Opportunity "${demo.opportunityName}"
(${demo.opportunityId}); ${demo.mappedUser.teamsUpn} is mapped to a Salesforce user, ${demo.unmappedUser.teamsUpn} is
recorded as unmapped, megan@contoso.example gets auto-mapped by email. Rules: the package's default Teams_Rule__mdt
(deal-desk keywords such as "discount" or "redline", competitor names such as "Globex").

1. Post a message in Teams as ${demo.mappedUser.teamsUpn}:
    curl --cacert ${q(info.graph.caFile)} -X POST ${info.graph.controlUrl}/postMessage \\
      -H 'content-type: application/json' -d ${q(post)}

2. See the Task it became:
    curl -G ${info.salesforce.controlUrl}/query --data-urlencode ${q(`q=${soql}`)}
   or with jsforce as the demo admin (save as try.mjs in the repository root, run node try.mjs):
    ${jsforce}

3. Look at the service: ${info.service.baseUrl}/readyz, ${info.service.baseUrl}/metrics

${meeting}`;
}
