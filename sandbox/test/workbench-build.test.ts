import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCustomLabels } from '../src/workbench/build/custom-labels.ts';
import { platformModules } from '../src/workbench/build/platform-modules.ts';
import { apexMethodNames, findApexMethod } from '../src/workbench/server/apex/index.ts';
import { accessFor, readPermissionSets } from '../src/workbench/server/permissions.ts';

const projectDir = new URL('../..', import.meta.url).pathname;
const labels = readCustomLabels(`${projectDir}force-app/main/default/labels/CustomLabels.labels-meta.xml`);
const runtime = {
  apex: '/r/apex.js',
  toast: '/r/toast.js',
  navigation: '/r/navigation.js',
  uiRecordApi: '/r/uiRecordApi.js',
  persona: '/r/persona.js',
  syntheticShadow: '/r/synthetic-shadow.js',
  i18nDir: '/r/i18n',
};
const plugin = platformModules({ labels, apexMethods: apexMethodNames(), runtime });

function load(source: string): string {
  const id = (plugin.resolveId as (s: string) => string | null)(source);
  assert.ok(id, `${source} resolves`);
  const context = {
    error(message: string): never {
      throw new Error(message);
    },
  };
  return (plugin.load as (this: typeof context, id: string) => string).call(context, id);
}

test('labels come from the real CustomLabels file; an unknown label fails the build with its name', () => {
  assert.equal(labels.get('TB_ActionFailed'), "That didn't work");
  assert.equal(load('@salesforce/label/c.TB_ActionFailed'), `export default "That didn't work";\n`);
  assert.throws(() => load('@salesforce/label/c.TB_NoSuchLabel'), /Unknown custom label TB_NoSuchLabel/);
});

test('every Apex method the components import has an adapter; an unknown Class.method fails the build naming it', () => {
  for (const name of [
    'TeamsConversationController.getChannelLink',
    'TeamsChannelLinkController.linkChannel',
    'TeamsDeadLettersController.retryDeadLetter',
  ]) {
    assert.ok(findApexMethod(name), name);
    assert.match(
      load(`@salesforce/apex/${name}`),
      new RegExp(`apexMethod\\("${name.replace('.', '\\.')}"\\)`),
    );
  }
  assert.throws(
    () => load('@salesforce/apex/TeamsUserMappingController.getUserMappings'),
    /No workbench adapter for the Apex method TeamsUserMappingController\.getUserMappings/,
  );
});

test('schema references are { objectApiName, fieldApiName }', () => {
  assert.equal(
    load('@salesforce/schema/Opportunity.Name'),
    `export default {"objectApiName":"Opportunity","fieldApiName":"Name"};\n`,
  );
});

test("personas' access comes from the package's permission sets", () => {
  const sets = readPermissionSets(projectDir);
  const rep = accessFor(['Teams_Bridge_User'], sets);
  const admin = accessFor(['Teams_Bridge_Admin'], sets);
  const nobody = accessFor([], sets);
  assert.ok(rep.classes.has('TeamsConversationController'));
  assert.ok(!rep.classes.has('TeamsDeadLettersController'));
  assert.ok(admin.classes.has('TeamsDeadLettersController'));
  assert.equal(nobody.classes.size, 0);
  assert.equal(admin.objects.get('Teams_Subscription__c')?.edit, true);
  assert.notEqual(rep.objects.get('Teams_Channel_Link__c')?.edit, true);
  assert.throws(() => accessFor(['No_Such_Set'], sets), /No_Such_Set/);
});
