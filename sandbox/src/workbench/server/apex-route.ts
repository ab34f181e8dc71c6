import type { Request, Response } from 'express';
import { AuraHandledError, type ApexContext } from './apex/context.ts';
import { findApexMethod } from './apex/index.ts';

/**
 * POST /workbench/api/apex/:name: runs `Class.method` as the persona, as the Lightning platform runs an
 * `@AuraEnabled` method: the persona needs access to the class, an `AuraHandledException` reaches the component
 * as `{ body: { message } }` with HTTP 500, an unknown method is named in a 404.
 */
export function apexRoute(context: (req: Request) => Promise<ApexContext>) {
  return async (req: Request, res: Response) => {
    const name = String(req.params.name);
    const found = findApexMethod(name);
    if (!found) {
      res.status(404).json({
        exceptionType: 'System.NoSuchMethodException',
        message: `No workbench adapter for the Apex method ${name}: add it to the Apex table in sandbox/src/workbench/server/apex/index.ts.`,
        isUserDefinedException: false,
      });
      return;
    }
    let ctx: ApexContext;
    try {
      ctx = await context(req);
    } catch (err) {
      res.status(400).json({ message: (err as Error).message, isUserDefinedException: false });
      return;
    }
    if (!ctx.persona.access.classes.has(found.className)) {
      res.status(500).json({
        exceptionType: '',
        message: `You do not have access to the Apex class named '${found.className}'.`,
        isUserDefinedException: false,
      });
      return;
    }
    const params = (req.body?.params ?? {}) as Record<string, unknown>;
    try {
      const result = await found.method(params, ctx);
      res.json({ result: result ?? null });
    } catch (err) {
      const handled = err instanceof AuraHandledError;
      res.status(500).json({
        exceptionType: handled ? 'System.AuraHandledException' : 'System.UnexpectedException',
        message: (err as Error).message,
        isUserDefinedException: handled,
        stackTrace: '',
      });
    }
  };
}
