import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, unlinkSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkAccess } from '../validate/check-access.ts';
import { checkApexSemantics } from '../validate/check-apex.ts';
import { checkComponents } from '../validate/check-components.ts';
import { checkConvert } from '../validate/check-convert.ts';
import { checkPmd } from '../validate/check-pmd.ts';
import { checkReferences } from '../validate/check-references.ts';
import { checkTestUsers } from '../validate/check-test-users.ts';
import { checkXml } from '../validate/check-xml.ts';
import { loadProject } from '../validate/project.ts';
import { failures, runChecks } from '../validate/run-checks.ts';
import { requireJava17 } from '../validate/tools.ts';
import type { Problem } from '../validate/types.ts';
import { formatProblem } from '../validate/types.ts';
import { APEX_META, CLEAN_FIXTURE, DEFAULT, FixtureCopy } from './fixture-project.ts';

const copies: FixtureCopy[] = [];
function copy(): FixtureCopy {
  const fixture = new FixtureCopy();
  copies.push(fixture);
  return fixture;
}
after(() => copies.forEach((c) => c.remove()));

const lines = (problems: Problem[]): string[] => problems.map(formatProblem);

/** Assert that exactly these lines were reported (order-insensitive), so nothing extra slips through. */
function assertLines(problems: Problem[], expected: string[]): void {
  assert.deepEqual([...lines(problems)].sort(), [...expected].sort());
}

const SERVICE = `${DEFAULT}/classes/WidgetService.cls`;
const PERMSET = `${DEFAULT}/permissionsets/Widget_User.permissionset-meta.xml`;
const CODE_FIELD = `${DEFAULT}/objects/Widget__c/fields/Code__c.field-meta.xml`;

describe('validate:salesforce on the clean fixture', () => {
  test('every check passes', async () => {
    const results = await runChecks(CLEAN_FIXTURE);
    assert.deepEqual(lines(results.flatMap((r) => r.problems)), []);
    assert.deepEqual(
      results.map((r) => r.check),
      ['components', 'xml', 'references', 'access', 'tests', 'apex', 'pmd', 'convert'],
    );
  });
});

describe('components: every file belongs to a metadata component', () => {
  test('a stray file, an Apex class and an LWC bundle without their -meta.xml are reported; .forceignore is honoured', () => {
    const fixture = copy();
    fixture.write(`${DEFAULT}/classes/notes.txt`, 'todo\n');
    fixture.write(`${DEFAULT}/classes/Lonely.cls`, 'public with sharing class Lonely {}\n');
    unlinkSync(fixture.path(`${DEFAULT}/lwc/widgetCard/widgetCard.js-meta.xml`));
    mkdirSync(fixture.path(`${DEFAULT}/lwc/widgetCard/__tests__`));
    fixture.write(`${DEFAULT}/lwc/widgetCard/__tests__/widgetCard.test.js`, '// ignored by .forceignore\n');
    assertLines(checkComponents(loadProject(fixture.root)), [
      `${DEFAULT}/classes/Lonely.cls:1: [components] ApexClass Lonely has no Lonely.cls-meta.xml: add it, or remove this file`,
      `${DEFAULT}/lwc/widgetCard:1: [components] LightningComponentBundle widgetCard has no widgetCard.js-meta.xml: add it`,
      `${DEFAULT}/classes/notes.txt:1: [components] no metadata component claims this file (Could not infer a metadata type): remove it, rename it, or add it to .forceignore`,
    ]);
  });

  test('a -meta.xml without its source stops SDR; every other file is still resolved and checked', () => {
    const fixture = copy();
    fixture.write(`${DEFAULT}/classes/Ghost.cls-meta.xml`, APEX_META);
    fixture.write(`${DEFAULT}/classes/notes.txt`, 'todo\n');
    const project = loadProject(fixture.root);
    assertLines(checkComponents(project), [
      `${DEFAULT}/classes/Ghost.cls-meta.xml:1: [components] SDR cannot resolve this file: Expected source files for type 'ApexClass'`,
      `${DEFAULT}/classes/notes.txt:1: [components] SDR cannot resolve this file: Could not infer a metadata type`,
    ]);
    assert.ok(
      project.components.some((c) => c.type.name === 'CustomField' && c.fullName === 'Widget__c.Code__c'),
    );
    assert.deepEqual(lines(checkReferences(project)), []);
  });
});

describe('xml: well-formed, and elements valid for the metadata type', () => {
  test('a misspelled element, a bad enum value, a non-boolean and malformed XML', () => {
    const fixture = copy();
    fixture.replace(CODE_FIELD, '<label>Code</label>', '<lable>Code</lable>');
    fixture.replace(CODE_FIELD, '<type>Text</type>', '<type>Txt</type>');
    fixture.replace(PERMSET, '<allowRead>true</allowRead>', '<allowRead>yes</allowRead>');
    fixture.replace(
      `${DEFAULT}/objects/Widget__c/listViews/All.listView-meta.xml`,
      '<label>All</label>',
      '<label>All</labl>',
    );
    const found = lines(checkXml(loadProject(fixture.root)));
    assert.equal(found.length, 4, found.join('\n'));
    assert.match(
      found.find((l) => l.includes('lable')) ?? '',
      new RegExp(
        `^${CODE_FIELD}:4: \\[xml\\] unknown element <lable> in CustomField \\(CustomField\\): did you mean <label>\\? Allowed: .*\\blabel\\b.*\\blength\\b`,
      ),
    );
    assert.match(
      found.find((l) => l.includes('Txt')) ?? '',
      new RegExp(
        `^${CODE_FIELD}:5: \\[xml\\] <CustomField.type> value "Txt" is not a FieldType \\(did you mean "Text"\\?\\); allowed: AutoNumber, Lookup, MasterDetail`,
      ),
    );
    assert.ok(
      found.includes(
        `${PERMSET}:28: [xml] <PermissionSet.objectPermissions.allowRead> must be true or false, not "yes"`,
      ),
      found.join('\n'),
    );
    assert.match(
      found.find((l) => l.includes('listView')) ?? '',
      /All\.listView-meta\.xml:\d+: \[xml\] not well-formed XML: Expected closing tag 'label'/,
    );
  });

  test('newer metadata types (External Credential) are in the derived schema', () => {
    const fixture = copy();
    mkdirSync(fixture.path(`${DEFAULT}/externalCredentials`));
    fixture.write(
      `${DEFAULT}/externalCredentials/Widget_Service.externalCredential-meta.xml`,
      `<?xml version="1.0" encoding="UTF-8"?>
<ExternalCredential xmlns="http://soap.sforce.com/2006/04/metadata">
  <authenticationProtocol>Custom</authenticationProtocol>
  <externalCredentialParameters>
    <parameterGroup>Widget_Signer</parameterGroup>
    <parameterName>Widget_Signer</parameterName>
    <parameterType>NamedPrincipal</parameterType>
    <sequenceNumber>1</sequenceNumber>
    <princpal>oops</princpal>
  </externalCredentialParameters>
  <label>Widget Service</label>
</ExternalCredential>
`,
    );
    const found = lines(checkXml(loadProject(fixture.root)));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0]!,
      /Widget_Service\.externalCredential-meta\.xml:9: \[xml\] unknown element <princpal> in ExternalCredential\.externalCredentialParameters \(ExternalCredentialParameter\)/,
    );
  });
});

describe('references: objects and fields named anywhere exist', () => {
  test('unknown fields in SOQL, a permission set, an LWC import and new Task(...); a required field in a permission set; a Task-authored field', () => {
    const fixture = copy();
    fixture.replace(SERVICE, 'Code__c, Amount__c, Account__r.Name', 'Code__c, Amout__c, Account__r.Nme');
    fixture.replace(SERVICE, 'FROM Widgets__r', 'FROM Gadgets__r');
    fixture.replace(SERVICE, 'WHERE Widget_Ref__c = :ref', 'WHERE Widget_Rf__c = :ref');
    fixture.replace(SERVICE, 'Widget_Ref__c = widget.Code__c', 'Widget_Rf__c = widget.Code__c');
    fixture.replace(PERMSET, 'Widget__c.Amount__c', 'Widget__c.Amont__c');
    fixture.replace(PERMSET, 'Task.Widget_Ref__c', 'Widget__c.Code__c');
    fixture.replace(`${DEFAULT}/lwc/widgetCard/widgetCard.js`, 'Widget__c.Code__c', 'Widget__c.Cod__c');
    mkdirSync(fixture.path(`${DEFAULT}/objects/Task/fields`), { recursive: true });
    fixture.write(
      `${DEFAULT}/objects/Task/fields/Other__c.field-meta.xml`,
      '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n  <fullName>Other__c</fullName>\n  <label>Other</label>\n  <type>Text</type>\n  <length>10</length>\n</CustomField>\n',
    );
    assertLines(checkReferences(loadProject(fixture.root)), [
      `${SERVICE}:8: [references] unknown field Widget__c.Amout__c: no objects/Widget__c/fields/Amout__c.field-meta.xml in the package`,
      `${SERVICE}:8: [references] unknown field Account.Nme: not a custom field in the package nor in the standard field list (scripts/validate/standard-objects.ts)`,
      `${SERVICE}:18: [references] Account has no child relationship Gadgets__r`,
      `${SERVICE}:26: [references] unknown field Task.Widget_Rf__c: no objects/Activity/fields/Widget_Rf__c.field-meta.xml in the package`,
      `${SERVICE}:32: [references] unknown field Task.Widget_Rf__c: no objects/Activity/fields/Widget_Rf__c.field-meta.xml in the package`,
      `${PERMSET}:11: [references] unknown field Widget__c.Amont__c: no objects/Widget__c/fields/Amont__c.field-meta.xml in the package`,
      `${PERMSET}:21: [references] Widget__c.Code__c is required (<required>true</required>): the org rejects field permissions on it; remove this fieldPermissions entry`,
      `${DEFAULT}/lwc/widgetCard/widgetCard.js:3: [references] unknown field Widget__c.Cod__c: no objects/Widget__c/fields/Cod__c.field-meta.xml in the package`,
      `${DEFAULT}/objects/Task/fields/Other__c.field-meta.xml:1: [references] Task.Other__c is authored under objects/Task/fields/: the Metadata API rejects Task as a custom field parent; move it to objects/Activity/fields/ (SOQL and permission sets keep naming it Task.Other__c)`,
    ]);
  });

  test('layouts, list views, FlexiPages and Task variables name existing fields; a master-detail field is required, a formula field is read-only', () => {
    const fixture = copy();
    fixture.replace(
      `${DEFAULT}/flexipages/Widget_Record_Page.flexipage-meta.xml`,
      'Record.Amount__c',
      'Record.Amnt__c',
    );
    fixture.replace(
      SERVICE,
      '    return t;',
      '    List<Task> tasks = new List<Task>{ t };\n    tasks[0].Widget_Rf__c = widget.Code__c;\n    return t;',
    );
    fixture.replace(
      `${DEFAULT}/layouts/Widget__c-Widget Layout.layout-meta.xml`,
      '<field>Amount__c</field>',
      '<field>Amt__c</field>',
    );
    fixture.replace(
      `${DEFAULT}/objects/Widget__c/listViews/All.listView-meta.xml`,
      '<columns>Amount__c</columns>',
      '<columns>Amnt__c</columns>',
    );
    fixture.replace(
      `${DEFAULT}/objects/Widget__c/fields/Account__c.field-meta.xml`,
      '<type>Lookup</type>',
      '<type>MasterDetail</type>',
    );
    fixture.replace(
      `${DEFAULT}/objects/Widget__c/fields/Amount__c.field-meta.xml`,
      '<precision>',
      '<formula>1 + 1</formula>\n  <precision>',
    );
    assertLines(checkReferences(loadProject(fixture.root)), [
      `${DEFAULT}/layouts/Widget__c-Widget Layout.layout-meta.xml:19: [references] unknown field Widget__c.Amt__c: no objects/Widget__c/fields/Amt__c.field-meta.xml in the package`,
      `${DEFAULT}/objects/Widget__c/listViews/All.listView-meta.xml:6: [references] unknown field Widget__c.Amnt__c: no objects/Widget__c/fields/Amnt__c.field-meta.xml in the package`,
      `${DEFAULT}/flexipages/Widget_Record_Page.flexipage-meta.xml:12: [references] unknown field Widget__c.Amnt__c: no objects/Widget__c/fields/Amnt__c.field-meta.xml in the package`,
      `${SERVICE}:29: [references] unknown field Task.Widget_Rf__c: no objects/Activity/fields/Widget_Rf__c.field-meta.xml in the package`,
      `${PERMSET}:10: [references] Widget__c.Amount__c is read-only (formula, auto-number or roll-up summary): the org rejects <editable>true</editable>; set it to false`,
      `${PERMSET}:16: [references] Widget__c.Account__c is a master-detail field: the org rejects field permissions on it; remove this fieldPermissions entry`,
    ]);
  });
});

describe('references: components named by API name exist', () => {
  test('an Apex class, an Apex method, a label, a tab, a FlexiPage and an LWC named but not in the package; system and Activity fields in a permission set', () => {
    const fixture = copy();
    const card = `${DEFAULT}/lwc/widgetCard/widgetCard.js`;
    const app = `${DEFAULT}/applications/Widgets.app-meta.xml`;
    fixture.replace(PERMSET, '<apexClass>WidgetService</apexClass>', '<apexClass>WidgetServce</apexClass>');
    fixture.replace(PERMSET, '<tab>Widget__c</tab>', '<tab>Gadget__c</tab>');
    fixture.replace(PERMSET, '<field>Task.Widget_Ref__c</field>', '<field>Activity.Widget_Ref__c</field>');
    fixture.replace(PERMSET, '<field>Widget__c.Account__c</field>', '<field>Widget__c.OwnerId</field>');
    fixture.replace(card, 'WidgetService.findByAccount', 'WidgetService.findByAcount');
    fixture.replace(card, 'c.Widget_Title', 'c.Widget_Titel');
    fixture.replace(app, '<content>Widget_Record_Page</content>', '<content>Widget_Page</content>');
    fixture.replace(
      `${DEFAULT}/flexipages/Widget_Record_Page.flexipage-meta.xml`,
      '<componentName>widgetCard</componentName>',
      '<componentName>widgetCards</componentName>',
    );
    assertLines(checkReferences(loadProject(fixture.root)), [
      `${PERMSET}:6: [references] unknown Apex class WidgetServce: no classes/WidgetServce.cls in the package`,
      `${PERMSET}:16: [references] Widget__c.OwnerId is a required or system field: the org rejects field permissions on it; remove this fieldPermissions entry`,
      `${PERMSET}:21: [references] Activity.Widget_Ref__c: permission sets name activity fields as Task.Widget_Ref__c or Event.Widget_Ref__c, not Activity`,
      `${PERMSET}:38: [references] unknown tab Gadget__c: no tabs/Gadget__c.tab-meta.xml in the package (standard tabs are named standard-<Object>)`,
      `${card}:6: [references] WidgetService.findByAcount is not an @AuraEnabled static method of classes/WidgetService.cls`,
      `${card}:7: [references] unknown custom label Widget_Titel: not in labels/*.labels-meta.xml`,
      `${app}:6: [references] unknown FlexiPage Widget_Page: no flexipages/Widget_Page.flexipage-meta.xml in the package`,
      `${DEFAULT}/flexipages/Widget_Record_Page.flexipage-meta.xml:32: [references] unknown component widgetCards: no lwc/widgetCards/ (or aura/widgetCards/) in the package`,
    ]);
  });
});

const TAB = `${DEFAULT}/tabs/Widget__c.tab-meta.xml`;
const CARD_JS = `${DEFAULT}/lwc/widgetCard/widgetCard.js`;
const CARD_HTML = `${DEFAULT}/lwc/widgetCard/widgetCard.html`;
const PAGE = `${DEFAULT}/flexipages/Widget_Record_Page.flexipage-meta.xml`;
const TEST_CLASS = `${DEFAULT}/classes/WidgetServiceTest.cls`;

const permissionSet = (label: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8" ?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n  <label>${label}</label>\n  <hasActivationRequired>false</hasActivationRequired>\n${body}</PermissionSet>\n`;
const customPermission = (label: string): string =>
  `<?xml version="1.0" encoding="UTF-8" ?>\n<CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata">\n  <isLicensed>false</isLicensed>\n  <label>${label}</label>\n</CustomPermission>\n`;
const VIEWER = `${DEFAULT}/permissionsets/Widget_Viewer.permissionset-meta.xml`;
const VIEWER_XML = permissionSet(
  'Widget Viewer',
  '  <tabSettings>\n    <tab>Widget__c</tab>\n    <visibility>Visible</visibility>\n  </tabSettings>\n',
);

describe('xml: values the WSDL types as plain strings', () => {
  test('a tab motif whose number and name do not match the sf CLI list', () => {
    const fixture = copy();
    fixture.replace(TAB, 'Custom20: Airplane', 'Custom68: Desk');
    assertLines(checkXml(loadProject(fixture.root)), [
      `${TAB}:4: [xml] <CustomTab.motif> value "Custom68: Desk" is not a tab style the sf CLI knows (did you mean "Custom33: Desk" or "Custom68: Globe"?): the number and the name must match one entry of @salesforce/plugin-sobject's list`,
    ]);
  });
});

describe('components: what a plain deploy of the package directories sends', () => {
  test('a PlatformEventSubscriberConfig in a package directory', () => {
    const fixture = copy();
    mkdirSync(fixture.path(`${DEFAULT}/PlatformEventSubscriberConfigs`));
    fixture.write(
      `${DEFAULT}/PlatformEventSubscriberConfigs/WidgetTriggerConfig.platformEventSubscriberConfig-meta.xml`,
      '<?xml version="1.0" encoding="UTF-8" ?>\n<PlatformEventSubscriberConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n  <batchSize>200</batchSize>\n  <masterLabel>Widget Trigger Config</masterLabel>\n  <platformEventConsumer>WidgetEventTrigger</platformEventConsumer>\n</PlatformEventSubscriberConfig>\n',
    );
    assertLines(checkComponents(loadProject(fixture.root)), [
      `${DEFAULT}/PlatformEventSubscriberConfigs/WidgetTriggerConfig.platformEventSubscriberConfig-meta.xml:1: [components] PlatformEventSubscriberConfig WidgetTriggerConfig is in a package directory, so every plain \`sf project deploy start\` sends it and resets its trigger's running user (to the Automated Process user when <user> is empty, or to a user of another org): keep it outside the package directories and deploy it from a script that stamps the org's user in`,
    ]);
  });
});

describe('access: what a placed component asks for, its personas grant', () => {
  test('a second persona sees the page but is not granted the Apex class the card imports', () => {
    const fixture = copy();
    fixture.write(VIEWER, VIEWER_XML);
    assertLines(checkAccess(loadProject(fixture.root)), [
      `${CARD_JS}:6: [access] widgetCard imports @salesforce/apex/WidgetService.findByAccount, and permission set Widget_Viewer sees it on FlexiPage Widget_Record_Page, but does not grant Apex class WidgetService: add <classAccesses> for it, or show the component only to the persona it is for (a visibility rule or an lwc:if on a custom permission)`,
    ]);
  });

  test('a visibility rule on a granted custom permission narrows the audience; unknown and ungranted custom permissions are reported; gated children count only for their persona', () => {
    const fixture = copy();
    fixture.write(VIEWER, VIEWER_XML);
    mkdirSync(fixture.path(`${DEFAULT}/customPermissions`));
    fixture.write(
      `${DEFAULT}/customPermissions/Widget_Manage.customPermission-meta.xml`,
      customPermission('Manage'),
    );
    fixture.write(
      `${DEFAULT}/customPermissions/Widget_Audit.customPermission-meta.xml`,
      customPermission('Audit'),
    );
    fixture.replace(
      PERMSET,
      '  <classAccesses>',
      '  <customPermissions>\n    <enabled>true</enabled>\n    <name>Widget_Manage</name>\n  </customPermissions>\n  <classAccesses>',
    );
    fixture.replace(
      PAGE,
      '<identifier>c_widgetCard</identifier>',
      '<identifier>c_widgetCard</identifier>\n        <visibilityRule>\n          <criteria>\n            <leftValue>{!$Permission.CustomPermission.Widget_Manage}</leftValue>\n            <operator>EQUAL</operator>\n            <rightValue>true</rightValue>\n          </criteria>\n        </visibilityRule>',
    );
    fixture.replace(
      CARD_JS,
      "import WIDGET_TITLE from '@salesforce/label/c.Widget_Title';",
      "import WIDGET_TITLE from '@salesforce/label/c.Widget_Title';\nimport HAS_AUDIT from '@salesforce/customPermission/Widget_Audit';\nimport HAS_PURGE from '@salesforce/customPermission/Widget_Purge';",
    );
    fixture.replace(
      CARD_JS,
      '  get code() {',
      '  get canAudit() {\n    return HAS_AUDIT;\n  }\n\n  get code() {',
    );
    fixture.replace(
      CARD_HTML,
      '  </lightning-card>',
      '    <template lwc:if={canAudit}><c-widget-audit></c-widget-audit></template>\n  </lightning-card>',
    );
    mkdirSync(fixture.path(`${DEFAULT}/lwc/widgetAudit`));
    fixture.write(
      `${DEFAULT}/lwc/widgetAudit/widgetAudit.js`,
      "import { LightningElement } from 'lwc';\nimport history from '@salesforce/apex/WidgetAudit.history';\n\nexport default class WidgetAudit extends LightningElement {\n  history = history;\n}\n",
    );
    fixture.write(`${DEFAULT}/lwc/widgetAudit/widgetAudit.html`, '<template></template>\n');
    fixture.write(
      `${DEFAULT}/lwc/widgetAudit/widgetAudit.js-meta.xml`,
      '<?xml version="1.0" encoding="UTF-8" ?>\n<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">\n  <apiVersion>62.0</apiVersion>\n  <isExposed>false</isExposed>\n</LightningComponentBundle>\n',
    );
    // Widget_Viewer no longer sees the card; nobody who sees it has Widget_Audit, so its child is never
    // rendered for them (no class access needed) but the check itself can never pass.
    assertLines(checkAccess(loadProject(fixture.root)), [
      `${CARD_JS}:8: [access] custom permission Widget_Audit is checked on FlexiPage Widget_Record_Page, but none of the permission sets that see it (Widget_User) grants it: the check can never pass; grant it in the permission set of the persona it is for`,
      `${CARD_JS}:9: [access] unknown custom permission Widget_Purge: no customPermissions/Widget_Purge.customPermission-meta.xml in the package`,
    ]);
    // Granting Widget_Audit to Widget_User makes the gated child visible to it: now its Apex class counts.
    fixture.replace(
      PERMSET,
      '    <name>Widget_Manage</name>\n  </customPermissions>',
      '    <name>Widget_Manage</name>\n  </customPermissions>\n  <customPermissions>\n    <enabled>true</enabled>\n    <name>Widget_Audit</name>\n  </customPermissions>',
    );
    assertLines(checkAccess(loadProject(fixture.root)), [
      `${CARD_JS}:9: [access] unknown custom permission Widget_Purge: no customPermissions/Widget_Purge.customPermission-meta.xml in the package`,
      `${DEFAULT}/lwc/widgetAudit/widgetAudit.js:2: [access] widgetAudit imports @salesforce/apex/WidgetAudit.history, and permission set Widget_User sees it on FlexiPage Widget_Record_Page (through widgetCard), but does not grant Apex class WidgetAudit: add <classAccesses> for it, or show the component only to the persona it is for (a visibility rule or an lwc:if on a custom permission)`,
    ]);
  });
});

describe('tests: USER_MODE code is reached only inside System.runAs', () => {
  test('calls outside runAs, direct, through a constructor chain and through a helper; calls inside runAs are not reported', () => {
    const fixture = copy();
    fixture.replace(
      TEST_CLASS,
      '    System.runAs(widgetUser()) {',
      "    Assert.areEqual(0, WidgetService.tasksFor('none').size(), 'outside');\n    Assert.isNotNull(new WidgetLogger().log(widget), 'chained');\n    countAccounts();\n    WidgetService service = null;\n    System.runAs(widgetUser()) {",
    );
    fixture.replace(
      TEST_CLASS,
      '  @IsTest\n  static void findsWidgetsAndLogsTasks() {',
      '  private static Integer countAccounts() {\n    return WidgetService.accountsWithWidgets().size();\n  }\n\n  @IsTest\n  static void findsWidgetsAndLogsTasks() {',
    );
    fixture.write(
      `${DEFAULT}/classes/WidgetLogger.cls`,
      'public with sharing class WidgetLogger {\n  public Task log(Widget__c widget) {\n    return WidgetService.logTask(widget);\n  }\n}\n',
    );
    fixture.write(`${DEFAULT}/classes/WidgetLogger.cls-meta.xml`, APEX_META);
    const reason =
      'outside System.runAs: a production deploy runs tests as the deploying admin before any permission set is assigned, so build a user, assign the permission set and make the call inside System.runAs(user) { ... }';
    assertLines(checkTestUsers(loadProject(fixture.root)), [
      `${TEST_CLASS}:41: [tests] WidgetServiceTest.findsWidgetsAndLogsTasks calls WidgetService.tasksFor, which reaches USER_MODE code (WidgetService.tasksFor), ${reason}`,
      `${TEST_CLASS}:42: [tests] WidgetServiceTest.findsWidgetsAndLogsTasks calls new WidgetLogger, which reaches USER_MODE code (WidgetService.logTask), ${reason}`,
      `${TEST_CLASS}:43: [tests] WidgetServiceTest.findsWidgetsAndLogsTasks calls countAccounts, which reaches USER_MODE code (WidgetService.accountsWithWidgets), ${reason}`,
    ]);
  });
});

describe('apex and pmd: the JVM checks, run once over one fixture with several breakages', () => {
  test('an Apex type error, an unknown field, SOQL injection and a class without sharing', async () => {
    const fixture = copy();
    fixture.replace(
      SERVICE,
      '    Database.insert(t, AccessLevel.USER_MODE);',
      '    Strng label = widget.Name;\n    Database.insert(t, AccessLevel.USER_MODE);',
    );
    fixture.replace(SERVICE, '    return t;', '    widget.Colour__c = label;\n    return t;');
    fixture.write(
      `${DEFAULT}/classes/WidgetSearch.cls`,
      `public class WidgetSearch {
  public static List<Widget__c> byName(String name) {
    return Database.query('SELECT Id FROM Widget__c WHERE Name = \\'' + name + '\\'');
  }
}
`,
    );
    fixture.write(`${DEFAULT}/classes/WidgetSearch.cls-meta.xml`, APEX_META);
    const project = loadProject(fixture.root);
    const [apex, pmd] = await Promise.all([checkApexSemantics(project), checkPmd(project)]);
    assertLines(apex, [
      `${SERVICE}:27: [apex] Missing: No type declaration found for 'Strng'`,
      `${SERVICE}:29: [apex] Missing: Unknown field 'Colour__c' on SObject 'Schema.Widget__c'`,
    ]);
    const search = `${DEFAULT}/classes/WidgetSearch.cls`;
    assertLines(
      pmd.filter((p) => p.severity === 'error'),
      [
        `${search}:1: [pmd] ApexSharingViolations (severity 2): Apex classes should declare a sharing model if DML or SOQL/SOSL is used`,
        `${search}:3: [pmd] ApexSOQLInjection (severity 2): Avoid untrusted/unescaped variables in DML query`,
      ],
    );
  });

  test('without Java the JVM checks fail with what to install', async () => {
    const saved = { path: process.env.PATH, javaHome: process.env.JAVA_HOME };
    process.env.PATH = '';
    delete process.env.JAVA_HOME;
    try {
      await assert.rejects(requireJava17(), /Java not found: the apex and pmd checks need Java 17 or later/);
    } finally {
      process.env.PATH = saved.path;
      if (saved.javaHome) process.env.JAVA_HOME = saved.javaHome;
    }
  });
});

describe('convert: sf project convert source succeeds', () => {
  test('an empty decomposed field file breaks the conversion', async () => {
    const fixture = copy();
    fixture.write(`${DEFAULT}/objects/Widget__c/fields/Amount__c.field-meta.xml`, '');
    const found = lines(await checkConvert(loadProject(fixture.root)));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0]!,
      new RegExp(
        `^${DEFAULT}/objects/Widget__c/fields/Amount__c\\.field-meta\\.xml:1: \\[convert\\] sf project convert source failed: LibraryError: error parsing .*Start tag expected`,
      ),
    );
  });
});

describe('the CLI end to end', () => {
  test('prints path:line lines and a summary, and exits 1', () => {
    const fixture = copy();
    unlinkSync(fixture.path(`${DEFAULT}/classes/WidgetServiceTest.cls-meta.xml`));
    const script = fileURLToPath(new URL('../validate-salesforce.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, fixture.root], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 1, result.stderr);
    const out = result.stdout.split('\n');
    assert.ok(
      out.includes(
        `${DEFAULT}/classes/WidgetServiceTest.cls:1: [components] ApexClass WidgetServiceTest has no WidgetServiceTest.cls-meta.xml: add it, or remove this file`,
      ),
      result.stdout,
    );
    assert.match(
      result.stdout,
      /validate:salesforce: \d+ problems? in [\d.]+s — components 1 \([\d.]+s\), xml 0 \([\d.]+s\), references 0 \([\d.]+s\), access 0 \([\d.]+s\), tests 0 \([\d.]+s\), apex \d+ \([\d.]+s\), pmd 0 \([\d.]+s\), convert \d+ \([\d.]+s\)/,
    );
  });

  test('an unknown --only check is a usage error', () => {
    const script = fileURLToPath(new URL('../validate-salesforce.ts', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, CLEAN_FIXTURE, '--only', 'spelling'],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /unknown check spelling: choose from components, xml, references, access, tests, apex, pmd, convert/,
    );
  });
});

test('failures() leaves warnings out', () => {
  const problems: Problem[] = [
    { check: 'pmd', path: 'a.cls', line: 1, message: 'x', severity: 'warning' },
    { check: 'pmd', path: 'a.cls', line: 2, message: 'y', severity: 'error' },
  ];
  assert.deepEqual(
    failures([{ check: 'pmd', problems, millis: 0 }]).map((p) => p.line),
    [2],
  );
});
