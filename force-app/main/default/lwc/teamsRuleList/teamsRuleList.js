import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getRules from '@salesforce/apex/TeamsRulesController.getRules';
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
import LOADING from '@salesforce/label/c.TB_Loading';

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
  labels = { MANAGE_RULES, RULES_HELP, LOAD_ERROR, NO_RULES, LOADING };
  rules = [];
  error;
  loaded = false;

  columns = [
    { label: COL_RULE, fieldName: 'label' },
    { label: COL_KIND, fieldName: 'kind', initialWidth: 120 },
    { label: COL_TERMS, fieldName: 'termList', wrapText: true },
    { label: COL_ACTION, fieldName: 'action', initialWidth: 90 },
    { label: COL_PRIORITY, fieldName: 'priority', initialWidth: 90 },
    { label: COL_CRITICAL, fieldName: 'critical', type: 'boolean', initialWidth: 90 },
    { label: COL_ACTIVE, fieldName: 'active', type: 'boolean', initialWidth: 80 },
    { label: COL_SUBJECT, fieldName: 'subjectTemplate', wrapText: true },
  ];

  @wire(getRules)
  wiredRules({ data, error }) {
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

  get showNoRules() {
    return this.loaded && !this.error && !this.hasRules;
  }

  get isLoading() {
    return !this.loaded;
  }

  openSetup() {
    this[NavigationMixin.Navigate]({
      type: 'standard__webPage',
      attributes: { url: CUSTOM_METADATA_SETUP_URL },
    });
  }
}
