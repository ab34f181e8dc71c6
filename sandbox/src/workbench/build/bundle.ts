/**
 * Compiles the workbench: the package's real Lightning web components from force-app (unchanged), the
 * `lightning-base-components` npm package, the workbench's own page chrome (`wb/*`) and the platform
 * adapters, into one browser bundle with rollup and `@lwc/rollup-plugin`.
 */
import { readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { rollup, type Plugin } from 'rollup';
import { apexMethodNames } from '../server/apex/index.ts';
import { readCustomLabels } from './custom-labels.ts';
import { platformModules } from './platform-modules.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const baseComponentsDir = dirname(require.resolve('lightning-base-components/package.json'));
const clientDir = resolve(here, '../client');

export interface BuiltBundle {
  code: string;
  buildMs: number;
}

/** What LWC and the base components read at run time in place of a bundler's environment. */
function browserEnvironment(): Plugin {
  return {
    name: 'workbench-browser-environment',
    transform(code) {
      if (!code.includes('process.env.NODE_ENV') && !code.includes('import.meta.env.SSR')) return null;
      return {
        code: code
          .replaceAll('process.env.NODE_ENV', JSON.stringify('production'))
          .replaceAll('import.meta.env.SSR', 'false'),
        map: null,
      };
    },
  };
}

/** The components of a Salesforce DX `lwc` folder (one folder per component, namespace `c`). */
function packageComponents(lwcDir: string) {
  return readdirSync(lwcDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(lwcDir, entry.name, `${entry.name}.js`)))
    .map((entry) => ({ name: `c/${entry.name}`, path: join(lwcDir, entry.name, `${entry.name}.js`) }));
}

export async function buildWorkbench(projectDir: string): Promise<BuiltBundle> {
  const started = performance.now();
  const lwcDir = join(projectDir, 'force-app/main/default/lwc');
  const platform = join(clientDir, 'platform');
  const bundle = await rollup({
    input: join(clientDir, 'main.js'),
    plugins: [
      platformModules({
        labels: readCustomLabels(
          join(projectDir, 'force-app/main/default/labels/CustomLabels.labels-meta.xml'),
        ),
        apexMethods: apexMethodNames(),
        runtime: {
          apex: join(platform, 'apex.js'),
          toast: join(platform, 'toast.js'),
          navigation: join(platform, 'navigation.js'),
          uiRecordApi: join(platform, 'uiRecordApi.js'),
          persona: join(platform, 'persona.js'),
          syntheticShadow: join(
            dirname(require.resolve('@lwc/synthetic-shadow/package.json')),
            'dist/index.js',
          ),
          i18nDir: join(baseComponentsDir, 'scopedImports'),
        },
      }),
      lwc({
        rootDir: clientDir,
        // The base components use lwc:is (lightning-datatable's cells).
        enableDynamicComponents: true,
        // lightning-combobox attaches ElementInternals, which synthetic shadow allows only to components compiled so.
        enableSyntheticElementInternals: true,
        modules: [
          ...packageComponents(lwcDir),
          { name: 'lightning/recordPicker', path: join(platform, 'recordPicker/recordPicker.js') },
          { dir: join(clientDir, 'modules') },
          { npm: 'lightning-base-components' },
        ],
      }),
      browserEnvironment(),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      // The base components' own template warnings (duplicate slots, stray keys) are theirs, not the package's.
      if (
        warning.id?.includes('lightning-base-components') ||
        warning.message.includes('lightning-base-components')
      )
        return;
      warn(warning);
    },
  });
  const { output } = await bundle.generate({ format: 'iife', inlineDynamicImports: true });
  await bundle.close();
  return { code: output[0].code, buildMs: Math.round(performance.now() - started) };
}
