import { join } from 'node:path';
import type { Plugin } from 'rollup';

/**
 * Resolves the `@salesforce/*` and `lightning/*` modules that only the Lightning platform provides to the
 * workbench's adapters, at build time, so the components compile unchanged. An Apex method or custom label
 * the workbench does not know fails the build with its name (the platform refuses such a component at deploy).
 */
export function platformModules(options: {
  labels: Map<string, string>;
  apexMethods: ReadonlySet<string>;
  /** Absolute paths of the browser-side adapter modules. */
  runtime: {
    apex: string;
    toast: string;
    navigation: string;
    uiRecordApi: string;
    persona: string;
    syntheticShadow: string;
    /** The base components' own `@salesforce/i18n/*` values (en-US, GMT), for the package's components too. */
    i18nDir: string;
  };
}): Plugin {
  const { labels, apexMethods, runtime } = options;
  return {
    name: 'workbench-platform-modules',
    resolveId(source) {
      if (source === '@lwc/synthetic-shadow') return runtime.syntheticShadow;
      if (source === '@salesforce/apex') return runtime.apex;
      if (source.startsWith('@salesforce/i18n/')) {
        return join(runtime.i18nDir, `@salesforce-i18n-${source.slice('@salesforce/i18n/'.length)}.js`);
      }
      if (source === 'lightning/platformShowToastEvent') return runtime.toast;
      if (source === 'lightning/navigation') return runtime.navigation;
      if (source === 'lightning/uiRecordApi') return runtime.uiRecordApi;
      for (const prefix of [
        '@salesforce/apex/',
        '@salesforce/label/c.',
        '@salesforce/schema/',
        '@salesforce/customPermission/',
        '@salesforce/user/',
      ]) {
        if (source.startsWith(prefix)) return `\0workbench:${source}`;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith('\0workbench:')) return null;
      const source = id.slice('\0workbench:'.length);
      if (source.startsWith('@salesforce/apex/')) {
        const name = source.slice('@salesforce/apex/'.length);
        if (!apexMethods.has(name)) {
          this.error(
            `No workbench adapter for the Apex method ${name} (imported as ${source}): add ${name} to the Apex table in sandbox/src/workbench/server/apex/index.ts, or fix the import.`,
          );
        }
        return `import { apexMethod } from ${JSON.stringify(runtime.apex)};\nexport default apexMethod(${JSON.stringify(name)});\n`;
      }
      if (source.startsWith('@salesforce/label/c.')) {
        const name = source.slice('@salesforce/label/c.'.length);
        const value = labels.get(name);
        if (value === undefined) {
          this.error(
            `Unknown custom label ${name} (imported as ${source}): it is not in force-app/main/default/labels/CustomLabels.labels-meta.xml.`,
          );
        }
        return `export default ${JSON.stringify(value)};\n`;
      }
      if (source.startsWith('@salesforce/schema/')) {
        // The platform gives an object reference `{ objectApiName }` or a field reference
        // `{ objectApiName, fieldApiName }` (relationship paths keep their dots in fieldApiName).
        const path = source.slice('@salesforce/schema/'.length);
        const dot = path.indexOf('.');
        const ref =
          dot < 0
            ? { objectApiName: path }
            : { objectApiName: path.slice(0, dot), fieldApiName: path.slice(dot + 1) };
        return `export default ${JSON.stringify(ref)};\n`;
      }
      if (source.startsWith('@salesforce/customPermission/')) {
        const name = source.slice('@salesforce/customPermission/'.length);
        return `import { hasCustomPermission } from ${JSON.stringify(runtime.persona)};\nexport default hasCustomPermission(${JSON.stringify(name)});\n`;
      }
      if (source === '@salesforce/user/Id') {
        return `import { currentUserId } from ${JSON.stringify(runtime.persona)};\nexport default currentUserId();\n`;
      }
      this.error(`The workbench has no adapter for ${source}.`);
    },
  };
}
