/**
 * `npm run bench:workbench`: how long the workbench takes to build (rollup + @lwc/rollup-plugin over the
 * package's components and the base components, no cache) and to first render in Debian's chromium: from
 * navigation to the record page's conversation card showing its messages, and to the setup tab's mappings table;
 * and how long a meeting transcript run from the simulation panel takes to become Tasks.
 * Needs chromium (sandbox/scripts/ensure-chromium.sh) and NODE_EXTRA_CA_CERTS (the script sets it).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorkbench } from '../sandbox/src/workbench/build/bundle.ts';
import { launchChromium } from '../sandbox/test/browser/page-checks.ts';
import { startSandbox } from '../sandbox/test/browser/sandbox-process.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);

const built = await buildWorkbench(repoRoot);
console.log(`build (no cache): ${built.buildMs} ms, bundle ${(built.code.length / 1024).toFixed(0)} KiB`);

const sandbox = await startSandbox();
const browser = await launchChromium();
try {
  for (const [name, path, ready] of [
    ['record page', new URL(sandbox.info.workbench.url).pathname, 'c-teams-conversation c-teams-message'],
    ['setup tab', '/lightning/n/Teams_Bridge_Admin', 'c-teams-user-mappings table.mappings tr[data-id]'],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      const started = performance.now();
      await page.goto(new URL(path, sandbox.info.workbench.url).toString());
      await page.locator(ready).first().waitFor({ timeout: 60_000 });
      times.push(performance.now() - started);
      await page.close();
    }
    times.sort((a, b) => a - b);
    console.log(
      `first render, ${name} (navigation to data shown, ${runs} runs): median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
    );
  }
  // The simulation panel's "Run transcript": Graph stand-in notification -> webhook -> transcript job -> Tasks,
  // until the service lists the meeting as handled (what the panel waits for before it answers).
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await fetch(new URL('/workbench/api/sim/run-transcript', sandbox.info.workbench.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-workbench-persona': 'admin' },
      body: JSON.stringify({ key: 'pricing-review' }),
    });
    const answer = (await response.json()) as { result?: { tasksWritten?: number } };
    if (!response.ok || answer.result?.tasksWritten !== 3)
      throw new Error(`run ${i}: ${JSON.stringify(answer)}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `meeting transcript from the panel to 3 Tasks written (${runs} runs): median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  await sandbox.stop();
}
