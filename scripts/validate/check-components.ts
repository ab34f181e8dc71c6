import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MetadataResolver } from '@salesforce/source-deploy-retrieve';
import type { SourceComponent } from '@salesforce/source-deploy-retrieve';
import type { SfdxProject } from './project.ts';
import { isDirectory, walkFiles } from './project.ts';
import type { Problem } from './types.ts';

/** The files a deploy would send for a component: its -meta.xml and its content (file, or bundle folder). */
function claimedFiles(component: SourceComponent): string[] {
  const files: string[] = [];
  if (component.xml) files.push(component.xml);
  // Decomposed parents (CustomObject) claim their children's files through the children themselves.
  if (component.content && component.getChildren().length === 0) {
    files.push(...(isDirectory(component.content) ? walkFiles(component.content) : [component.content]));
  }
  return files;
}

/**
 * Check 1: every file under the package directories belongs to a metadata component as SDR resolves the
 * package (what `sf project deploy` and `sf project convert source` send). SDR silently skips a file it
 * cannot type, and an Apex class without its -meta.xml: both would be missing from the org.
 */
export function checkComponents(project: SfdxProject): Problem[] {
  const problems: Problem[] = [];
  const claimed = new Set(project.components.flatMap(claimedFiles));
  const resolver = new MetadataResolver();
  for (const component of project.components) {
    if (component.type.name === 'PlatformEventSubscriberConfig') {
      problems.push({
        check: 'components',
        path: project.rel(component.xml ?? component.content ?? project.root),
        line: 1,
        message: `PlatformEventSubscriberConfig ${component.fullName} is in a package directory, so every plain \`sf project deploy start\` sends it and resets its trigger's running user (to the Automated Process user when <user> is empty, or to a user of another org): keep it outside the package directories and deploy it from a script that stamps the org's user in`,
      });
    }
    // SDR still resolves a bundle (LWC, Aura) whose -meta.xml is missing, and convert passes; the deploy fails.
    if (!component.xml && !component.parent) {
      problems.push({
        check: 'components',
        path: project.rel(component.content ?? project.root),
        line: 1,
        message: `${component.type.name} ${component.fullName} has no ${expectedMetaFile(component)}: add it`,
      });
    } else if (component.xml && !existsSync(component.xml)) {
      problems.push({
        check: 'components',
        path: project.rel(component.content ?? component.xml),
        line: 1,
        message: `${component.type.name} ${component.fullName} has no ${basename(component.xml)}`,
      });
    }
  }
  const refused = new Set(project.resolutionErrors.map((e) => e.file));
  for (const { file, message } of project.resolutionErrors) {
    problems.push({
      check: 'components',
      path: project.rel(file),
      line: 1,
      message: `SDR cannot resolve this file: ${message}`,
    });
  }
  for (const file of project.files) {
    if (claimed.has(file) || refused.has(file)) continue;
    problems.push({
      check: 'components',
      path: project.rel(file),
      line: 1,
      message: whyUnclaimed(resolver, file),
    });
  }
  return problems;
}

/** The -meta.xml a bundle needs: LWC bundles are typed by folder, so the registry has no suffix for them. */
function expectedMetaFile(component: SourceComponent): string {
  const suffix = component.type.name === 'LightningComponentBundle' ? 'js' : component.type.suffix;
  return suffix ? `${component.fullName}.${suffix}-meta.xml` : '-meta.xml file';
}

/** Ask SDR about the one file, to say why the package walk left it out. */
function whyUnclaimed(resolver: MetadataResolver, file: string): string {
  try {
    const found = resolver.getComponentsFromPath(file);
    const component = found[0];
    if (component && (!component.xml || !existsSync(component.xml))) {
      const wanted = component.xml ? basename(component.xml) : 'metadata (-meta.xml) file';
      return `${component.type.name} ${component.fullName} has no ${wanted}: add it, or remove this file`;
    }
    if (component) {
      return `no component claims this file (SDR reads it as ${component.type.name} ${component.fullName} only on its own): check its folder and name`;
    }
    return 'no metadata component claims this file: remove it or add it to .forceignore';
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(`${file}: `, '') : String(error);
    return `no metadata component claims this file (${reason}): remove it, rename it, or add it to .forceignore`;
  }
}
