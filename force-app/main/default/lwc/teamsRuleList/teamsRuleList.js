import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import getRules from '@salesforce/apex/TeamsBridgeAdminController.getRules';
import COL_RULE from '@salesforce/label/c.TB_ColRule';
import COL_KIND from '@salesforce/label/c.TB_ColKind';
import COL_TERMS from '@salesforce/label/c.TB_ColTerms';
import COL_ACTION from '@salesforce/label/c.TB_ColAction';
import COL_PRIORITY from '@salesforce/label/c.TB_ColPriority';
import COL_CRITICAL from '@salesforce/label/c.TB_ColCritical';
import COL_ACTIVE from '@salesforce/label/c.TB_ColActive';
import COL_SUBJECT from '@salesforce/label/c.TB_ColSubjectTemplate';
import MANAGE_RULES from '@salesforce/label/c.TB_ManageRules';
import RULES_HELP from '@salesforce/label/c.TB_RulesHelp';
import LOAD_ERROR from '@salesforce/label/c.TB_RulesLoadError';
import NO_RULES from '@salesforce/label/c.TB_NoRules';
import YES from '@salesforce/label/c.TB_Yes';
import NO from '@salesforce/label/c.TB_No';

/** Rules are custom metadata records: edited in Setup, so the link goes there. */
export const CUSTOM_METADATA_SETUP_URL = '/lightning/setup/CustomMetadata/home';

/** Split the Terms long text (one per line, commas also separate) into a readable list. */
function splitTerms(terms) {
  return String(terms ?? '')
    .split(/[\n,]/)
    .map((term) => term.trim())
    .filter((term) => term.length > 0);
}

/**
 * The Teams_Rule__mdt rules that turn channel messages into Tasks, with a link to edit them in Setup.
 */
export default class TeamsRuleList extends NavigationMixin(LightningElement) {
  labels = { MANAGE_RULES, RULES_HELP, LOAD_ERROR, NO_RULES };
  rules = [];
  error;
  loaded = false;
  wiredResult;

  columns = [
    { label: COL_RULE, fieldName: 'label' },
    { label: COL_KIND, fieldName: 'kind', initialWidth: 120 },
    { label: COL_TERMS, fieldName: 'termList', wrapText: true },
    { label: COL_ACTION, fieldName: 'action', initialWidth: 90 },
    { label: COL_PRIORITY, fieldName: 'priority', initialWidth: 90 },
    // Words, not the boolean type: its unchecked state is an empty cell, which reads as "unknown".
    { label: COL_CRITICAL, fieldName: 'criticalText', initialWidth: 90 },
    { label: COL_ACTIVE, fieldName: 'activeText', initialWidth: 80 },
    { label: COL_SUBJECT, fieldName: 'subjectTemplate', wrapText: true },
  ];

  @wire(getRules)
  wiredRules(result) {
    this.wiredResult = result;
    const { data, error } = result;
    if (data) {
      this.rules = data.map((rule) => ({ ...rule, termList: splitTerms(rule.terms).join(', ') }));
      this.error = undefined;
      this.loaded = true;
    } else if (error) {
      this.error = error;
      this.rules = [];
      this.loaded = true;
    }
  }

  get hasRules() {
    return this.rules.length > 0;
  }

  get tableRules() {
    return this.rules.map((rule) => ({
      ...rule,
      criticalText: rule.critical ? YES : NO,
      activeText: rule.active ? YES : NO,
    }));
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.hasRules;
  }

  get isLoading() {
    return !this.loaded;
  }

  handleRefresh() {
    return refreshApex(this.wiredResult);
  }

  openSetup() {
    this[NavigationMixin.Navigate]({
      type: 'standard__webPage',
      attributes: { url: CUSTOM_METADATA_SETUP_URL },
    });
  }
}
