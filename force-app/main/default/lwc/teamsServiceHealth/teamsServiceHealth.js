import { LightningElement } from 'lwc';
import getServiceStatus from '@salesforce/apex/TeamsServiceHealthController.getServiceStatus';
import resumeOutbound from '@salesforce/apex/TeamsServiceHealthController.resumeOutbound';
import { formatDateTime, formatLabel } from 'c/teamsFormat';
import HEALTHY from '@salesforce/label/c.TB_ServiceHealthy';
import UNHEALTHY from '@salesforce/label/c.TB_ServiceUnhealthy';
import DATABASE from '@salesforce/label/c.TB_Database';
import GRAPH from '@salesforce/label/c.TB_Graph';
import SALESFORCE from '@salesforce/label/c.TB_Salesforce';
import QUEUE_DEPTH from '@salesforce/label/c.TB_QueueDepth';
import CHECKED_AT from '@salesforce/label/c.TB_CheckedAt';
import CHECK_NOW from '@salesforce/label/c.TB_CheckNow';
import LOAD_ERROR from '@salesforce/label/c.TB_ServiceLoadError';
import LOADING from '@salesforce/label/c.TB_Loading';
import OUTBOUND_FAILURES from '@salesforce/label/c.TB_OutboundFailuresCount';
import RESUME_OUTBOUND from '@salesforce/label/c.TB_ResumeOutbound';
import STATUS_OK from '@salesforce/label/c.TB_StatusOk';
import STATUS_PROBLEM from '@salesforce/label/c.TB_StatusProblem';

// Component states the service reports as working (a string, or a boolean); anything else is a problem.
const OK_STATES = new Set(['ok', 'up', 'healthy', 'connected', 'true']);

function isOk(value) {
  return OK_STATES.has(String(value ?? '').toLowerCase());
}

/**
 * The callout service's health as seen from Salesforce: database, Graph, Salesforce API, queue depth.
 */
export default class TeamsServiceHealth extends LightningElement {
  labels = { CHECK_NOW, LOAD_ERROR, LOADING, QUEUE_DEPTH, OUTBOUND_FAILURES, RESUME_OUTBOUND };
  status;
  error;
  loading = false;

  connectedCallback() {
    this.check();
  }

  /** Batches of cards Salesforce could not hand to the service (Teams Outbound Failures). */
  get outboundFailures() {
    return this.status?.outboundFailures ?? 0;
  }

  /** After a sandbox copy: the admin confirmed this org's own endpoint and certificate. */
  async resume() {
    this.loading = true;
    try {
      await resumeOutbound();
    } catch (error) {
      this.error = error;
      this.loading = false;
      return;
    }
    await this.check();
  }

  async check() {
    this.loading = true;
    try {
      this.status = await getServiceStatus();
      this.error = undefined;
    } catch (error) {
      this.error = error;
      this.status = undefined;
    } finally {
      this.loading = false;
    }
  }

  get headline() {
    return this.status?.healthy ? HEALTHY : UNHEALTHY;
  }

  get headlineIcon() {
    return this.status?.healthy ? 'utility:success' : 'utility:warning';
  }

  get headlineVariant() {
    return this.status?.healthy ? 'success' : 'warning';
  }

  get components() {
    return [
      ['database', DATABASE],
      ['graph', GRAPH],
      ['salesforce', SALESFORCE],
    ].map(([key, label]) => {
      const raw = this.status?.[key];
      const ok = isOk(raw);
      return {
        key,
        labelKey: `${key}-label`,
        valueKey: `${key}-value`,
        label,
        // A boolean says nothing more than the icon; a string (e.g. the error) is shown as is.
        value: typeof raw === 'boolean' ? '' : (raw ?? ''),
        iconName: ok ? 'utility:success' : 'utility:error',
        variant: ok ? 'success' : 'error',
        alternativeText: ok ? STATUS_OK : STATUS_PROBLEM,
      };
    });
  }

  get checkedAt() {
    return formatLabel(CHECKED_AT, formatDateTime(this.status?.checkedAt));
  }
}
