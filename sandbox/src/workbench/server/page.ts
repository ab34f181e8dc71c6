import type { Persona, PersonaKey } from './personas.ts';

const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The HTML shell of a workbench page: SLDS, the page's settings for the bundle, the bundle. */
export function pageHtml(input: {
  title: string;
  page: 'record' | 'setup';
  recordId?: string;
  persona: Persona;
  personas: Record<PersonaKey, Persona>;
  links: { record: string; setup: string };
  pollIntervalSeconds: number;
}): string {
  const config = {
    page: input.page,
    recordId: input.recordId ?? null,
    links: input.links,
    pollIntervalSeconds: input.pollIntervalSeconds,
    persona: {
      key: input.persona.key,
      label: input.persona.label,
      name: input.persona.name,
      userId: input.persona.userId,
      customPermissions: [...input.persona.access.customPermissions],
      permissionSets: input.persona.permissionSets,
    },
    personas: Object.values(input.personas).map((p) => ({ key: p.key, label: p.label, name: p.name })),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title.replace(/</g, '&lt;')} | Teams Bridge workbench</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<link rel="stylesheet" href="/workbench/workbench.css">
</head>
<body class="slds-scope">
<script>window.__workbench = ${json(config)};</script>
<div id="workbench-root"></div>
<script src="/workbench/app.js"></script>
</body>
</html>
`;
}
