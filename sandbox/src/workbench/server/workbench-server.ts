/**
 * The workbench: the package's real Lightning pages (the Opportunity record page and the Teams Bridge setup tab)
 * served next to the sandbox, with the platform replaced by adapters that run as a chosen persona against the
 * Salesforce stand-in and the service, and a simulation panel that acts in Teams and on the deal.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import type { DemoMeetings } from '../../demo-data.ts';
import type { BuiltBundle } from '../build/bundle.ts';
import { apexRoute } from './apex-route.ts';
import type { ApexContext } from './apex/context.ts';
import { pageHtml } from './page.ts';
import { isPersonaKey, loadPersonas, type Persona, type PersonaKey } from './personas.ts';
import { salesforceSessions } from './salesforce-sessions.ts';
import { ServiceClient } from './service-client.ts';
import { simulation } from './simulation.ts';
import { transcriptSimulation } from './transcript-simulation.ts';
import { getRecord, relatedTasks, searchUsers } from './ui-api.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sldsAssets = join(dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets');

export interface WorkbenchOptions {
  projectDir: string;
  /** The compiled pages (build/cache.ts). */
  bundle: BuiltBundle & { cached: boolean };
  sf: SalesforceEmulator;
  graph: GraphEmulator;
  service: { baseUrl: string };
  demo: {
    opportunityId: string;
    teamId: string;
    channelId: string;
    /** Who the simulated meetings bring together; null when the service runs without transcripts. */
    meetings?: DemoMeetings | null;
  };
  port?: number;
  host?: string;
  /** The conversation card's live-update property, as an admin sets it in App Builder (default 3 s here). */
  pollIntervalSeconds?: number;
}

export interface Workbench {
  url: string;
  recordPageUrl: string;
  setupUrl: string;
  buildMs: number;
  cached: boolean;
  close(): Promise<void>;
}

const DEFAULT_PERSONA: PersonaKey = 'admin';

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const { sf, graph } = options;
  const { bundle } = options;
  const personas = loadPersonas(options.projectDir, (username) => {
    const [user] = sf.control.query(
      `SELECT Id, Name, Email FROM User WHERE Username = '${username}'`,
    ).records;
    if (!user) throw new Error(`The Salesforce stand-in has no user ${username} for the workbench personas.`);
    return user as { Id: string; Name: string; Email: string };
  });
  const sessions = salesforceSessions(sf, sf.apiVersion);
  sessions.prepare(personas);
  const service = new ServiceClient(options.service.baseUrl, () => sf.calloutSigner.authorization());
  const sim = simulation({
    graph,
    channel: { teamId: options.demo.teamId, channelId: options.demo.channelId },
  });
  const meetings = transcriptSimulation({ graph, service, meetings: options.demo.meetings ?? null });

  const personaOf = (req: Request): Persona => {
    const key = req.get('x-workbench-persona') ?? req.query.as;
    if (key === undefined) return personas[DEFAULT_PERSONA];
    if (!isPersonaKey(key)) {
      throw Object.assign(
        new Error(`Unknown persona ${String(key)}: use one of ${Object.keys(personas).join(', ')}.`),
        {
          status: 400,
        },
      );
    }
    return personas[key];
  };
  const context = async (req: Request): Promise<ApexContext> => {
    const persona = personaOf(req);
    return { persona, sf: await sessions.connection(persona), service };
  };
  const recordPath = `/lightning/r/Opportunity/${options.demo.opportunityId}/view`;
  const setupPath = '/lightning/n/Teams_Bridge_Admin';
  const withPersona = (path: string, persona: Persona) =>
    persona.key === DEFAULT_PERSONA ? path : `${path}?as=${persona.key}`;

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use('/assets', express.static(sldsAssets, { maxAge: '1h' }));
  app.get('/workbench/app.js', (_req, res) => {
    res.type('application/javascript').send(bundle.code);
  });
  app.get('/workbench/workbench.css', (_req, res) => res.sendFile(join(here, 'workbench.css')));
  app.get('/', (_req, res) => res.redirect(recordPath));

  const page =
    (title: string, kind: 'record' | 'setup', recordId?: string) => (req: Request, res: Response) => {
      const persona = personaOf(req);
      res.type('html').send(
        pageHtml({
          title,
          page: kind,
          recordId,
          persona,
          personas,
          links: { record: withPersona(recordPath, persona), setup: withPersona(setupPath, persona) },
          pollIntervalSeconds: options.pollIntervalSeconds ?? 3,
        }),
      );
    };
  app.get('/lightning/r/Opportunity/:id/view', (req, res) =>
    page('Opportunity', 'record', String(req.params.id))(req, res),
  );
  app.get(setupPath, page('Teams Bridge Setup', 'setup'));

  app.post('/workbench/api/apex/:name', apexRoute(context));
  const api =
    (handler: (req: Request, ctx: ApexContext) => Promise<unknown> | unknown) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        res.json({ result: (await handler(req, await context(req))) ?? null });
      } catch (err) {
        next(err);
      }
    };
  app.post(
    '/workbench/api/ui/record',
    api((req, ctx) => getRecord(ctx.sf, ctx.persona, req.body?.recordId, req.body?.fields)),
  );
  app.post(
    '/workbench/api/ui/related-tasks',
    api((req, ctx) => relatedTasks(ctx.sf, req.body?.recordId)),
  );
  app.post(
    '/workbench/api/ui/search-users',
    api((req, ctx) => searchUsers(ctx.sf, req.body?.term)),
  );
  app.get(
    '/workbench/api/sim/state',
    api(async (_req, ctx) => ({ ...(await sim.state(ctx.sf)), meetings: meetings.list() })),
  );
  app.post(
    '/workbench/api/sim/post-message',
    api((req) => sim.postMessage(req.body ?? {})),
  );
  app.post(
    '/workbench/api/sim/move-stage',
    api((req, ctx) => sim.moveStage(ctx.sf, service, req.body ?? {})),
  );
  app.post(
    '/workbench/api/sim/run-transcript',
    api((req, ctx) => meetings.run(ctx.sf, req.body ?? {})),
  );
  app.use(
    (err: Error & { status?: number; data?: unknown }, _req: Request, res: Response, _next: NextFunction) => {
      void _next;
      res.status(err.status ?? 500).json([{ errorCode: 'WORKBENCH_ERROR', message: err.message }]);
    },
  );

  const server: Server = createServer(app);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    recordPageUrl: `${url}${recordPath}`,
    setupUrl: `${url}${setupPath}`,
    buildMs: bundle.buildMs,
    cached: bundle.cached,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
