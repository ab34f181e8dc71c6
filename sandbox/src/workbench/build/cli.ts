/** `npm run build:workbench -w sandbox`: compiles the workbench bundle once and prints its build time and size. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorkbench } from './bundle.ts';

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
buildWorkbench(projectDir).then(
  (bundle) => {
    process.stdout.write(
      `workbench bundle: ${(bundle.code.length / 1024).toFixed(0)} KiB built in ${bundle.buildMs} ms\n`,
    );
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  },
);
