import { LightningElement } from 'lwc';
import getServiceStatus from '@salesforce/apex/TeamsServiceHealthController.getServiceStatus';
import resumeOutbound from '@salesforce/apex/TeamsServiceHealthController.resumeOutbound';
import { formatDateTime, formatLabel } from 'c/teamsFormat';
import { badgeClass } from 'c/teamsDatatable';
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
import TECHNICAL_DETAILS from '@salesforce/label/c.TB_TechnicalDetails';
import HINT_DATABASE from '@salesforce/label/c.TB_HintDatabase';
import HINT_GRAPH from '@salesforce/label/c.TB_HintGraph';
import HINT_GRAPH_SECRET from '@salesforce/label/c.TB_HintGraphSecret';
import HINT_GRAPH_CONSENT from '@salesforce/label/c.TB_HintGraphConsent';
import HINT_SALESFORCE from '@salesforce/label/c.TB_HintSalesforce';
import GRAPH_SERVICE_ACCOUNT from '@salesforce/label/c.TB_GraphServiceAccount';
import STATUS_EXPIRING from '@salesforce/label/c.TB_StatusExpiring';

// Component states the service reports as working (a string, or a boolean); anything else is a problem.
const OK_STATES = new Set(['ok', 'up', 'healthy', 'connected', 'true']);

function isOk(value) {
  return OK_STATES.has(String(value ?? '').toLowerCase());
}

// What to do, by what Microsoft Entra ID / Graph said. AADSTS7000215: invalid client secret; AADSTS7000222:
// expired client secret; 401/403 and "consent"/"Authorization_RequestDenied": missing permission or consent.
const GRAPH_HINTS = [
  [/AADSTS7000215|AADSTS7000222|client secret/i, HINT_GRAPH_SECRET],
  [/\b40[13]\b|consent|Authorization_RequestDenied|insufficient privileges/i, HINT_GRAPH_CONSENT],
];

function hintFor(key, raw) {
  if (key === 'graph') {
    return GRAPH_HINTS.find(([pattern]) => pattern.test(String(raw ?? '')))?.[1] ?? HINT_GRAPH;
  }
  return key === 'database' ? HINT_DATABASE : HINT_SALESFORCE;
}

/**
 * The callout service's health as seen from Salesforce: database, Graph, Salesforce API, queue depth.
 */
export default class TeamsServiceHealth extends LightningElement {
  labels = {
    CHECK_NOW,
    LOAD_ERROR,
    LOADING,
    QUEUE_DEPTH,
    TECHNICAL_DETAILS,
    OUTBOUND_FAILURES,
    RESUME_OUTBOUND,
  };
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
        label,
        statusLabel: ok ? STATUS_OK : STATUS_PROBLEM,
        badgeClass: badgeClass(ok ? 'success' : 'error'),
        // One line of what to do; what the service said, as it said it, behind "Technical details".
        hint: ok ? '' : hintFor(key, raw),
        raw: ok || typeof raw === 'boolean' ? '' : String(raw ?? ''),
      };
    });
  }

  /** The Graph service account, shown only when a channel posts as it; its reason says what to do. */
  get serviceAccount() {
    const state = this.status?.graphServiceAccount;
    if (!state) return undefined;
    const tone = state === 'ok' ? 'success' : state === 'expiring' ? 'warning' : 'error';
    return {
      label: GRAPH_SERVICE_ACCOUNT,
      statusLabel: tone === 'success' ? STATUS_OK : tone === 'warning' ? STATUS_EXPIRING : STATUS_PROBLEM,
      badgeClass: badgeClass(tone),
      hint: this.status.graphServiceAccountReason ?? '',
    };
  }

  get checkedAt() {
    return formatLabel(CHECKED_AT, formatDateTime(this.status?.checkedAt));
  }
}
