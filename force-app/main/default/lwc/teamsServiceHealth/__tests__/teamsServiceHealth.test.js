import { createElement } from 'lwc';
import TeamsServiceHealth from 'c/teamsServiceHealth';
import getServiceStatus from '@salesforce/apex/TeamsServiceHealthController.getServiceStatus';
import resumeOutbound from '@salesforce/apex/TeamsServiceHealthController.resumeOutbound';

const HEALTHY = require('./data/statusHealthy.json');
const DEGRADED = require('./data/statusDegraded.json');

jest.mock('@salesforce/apex/TeamsServiceHealthController.getServiceStatus', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsServiceHealthController.resumeOutbound', () => ({ default: jest.fn() }), {
  virtual: true,
});

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

// Lets pending Apex promises settle and the component re-render (microtasks only).
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

async function create() {
  const element = createElement('c-teams-service-health', { is: TeamsServiceHealth });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-teams-service-health', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.resetAllMocks();
  });

  it('shows a spinner and disables Check now while checking', async () => {
    getServiceStatus.mockReturnValue(new Promise(() => {}));
    const element = await create();
    expect($(element, '.loading lightning-spinner')).not.toBeNull();
    expect($(element, 'lightning-button.check-now').disabled).toBe(true);
  });

  it('shows a healthy service as a list: each part with its status badge, and the queue depth', async () => {
    getServiceStatus.mockResolvedValue(HEALTHY);
    const element = await create();
    expect($(element, '.headline').textContent.trim()).toBe('c.TB_ServiceHealthy');
    const parts = $$(element, 'li.component');
    expect(parts.map((part) => part.querySelector('.label').textContent)).toEqual([
      'c.TB_Database',
      'c.TB_Graph',
      'c.TB_Salesforce',
      'c.TB_QueueDepth',
      'c.TB_OutboundFailuresCount',
    ]);
    const badges = parts.slice(0, 3).map((part) => part.querySelector('.slds-badge'));
    expect(badges.map((badge) => badge.textContent)).toEqual([
      'c.TB_StatusOk',
      'c.TB_StatusOk',
      'c.TB_StatusOk',
    ]);
    expect(badges.map((badge) => badge.className)).toEqual(Array(3).fill('slds-badge slds-theme_success'));
    // Nothing to do, and no raw "ok" shown.
    expect($(element, '.hint')).toBeNull();
    expect($(element, 'details.raw')).toBeNull();
    expect(element.shadowRoot.textContent).not.toMatch(/\bok\b/);
    expect($(element, '.queue-depth lightning-formatted-number').value).toBe(4);
    expect($(element, '.checked-at').textContent).toBe('c.TB_CheckedAt');
    expect($(element, '.message')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says what to do about a failing part, with what the service said behind a disclosure', async () => {
    getServiceStatus.mockResolvedValue(DEGRADED);
    const element = await create();
    expect($(element, '.headline').textContent.trim()).toBe('c.TB_ServiceUnhealthy');
    expect($(element, '.message').textContent).toBe(DEGRADED.message);
    const graph = $(element, 'li.component[data-key="graph"]');
    expect(graph.querySelector('.slds-badge').textContent).toBe('c.TB_StatusProblem');
    expect(graph.querySelector('.slds-badge').className).toBe('slds-badge slds-theme_error');
    // AADSTS7000215 is Entra ID's "invalid client secret".
    expect(graph.querySelector('.hint').textContent).toBe('c.TB_HintGraphSecret');
    const details = graph.querySelector('details.raw');
    expect(details.open).toBe(false);
    expect(details.querySelector('summary').textContent).toBe('c.TB_TechnicalDetails');
    expect(details.querySelector('.raw-text').textContent).toBe(DEGRADED.graph);
    expect($(element, 'li.component[data-key="database"] .hint')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('picks the hint from what failed', async () => {
    getServiceStatus.mockResolvedValue({
      ...HEALTHY,
      healthy: false,
      database: 'error: connect ECONNREFUSED 127.0.0.1:5432',
      graph: 'error: 403 Forbidden',
      salesforce: 'error: INVALID_SESSION_ID',
    });
    const element = await create();
    expect($$(element, '.hint').map((hint) => hint.textContent)).toEqual([
      'c.TB_HintDatabase',
      'c.TB_HintGraphConsent',
      'c.TB_HintSalesforce',
    ]);
    getServiceStatus.mockResolvedValue({ ...HEALTHY, graph: 'error: AADSTS700016 application not found' });
    $(element, 'lightning-button.check-now').click();
    await flushPromises();
    expect($(element, 'li.component[data-key="graph"] .hint').textContent).toBe('c.TB_HintGraph');
  });

  it('accepts booleans for the parts of the service, with no raw detail to show', async () => {
    getServiceStatus.mockResolvedValue({ ...HEALTHY, database: true, graph: false, salesforce: undefined });
    const element = await create();
    const badges = $$(element, 'li.component .slds-badge');
    expect(badges.map((badge) => badge.textContent)).toEqual([
      'c.TB_StatusOk',
      'c.TB_StatusProblem',
      'c.TB_StatusProblem',
    ]);
    expect($(element, 'details.raw')).toBeNull();
  });

  it('says why when the service cannot be reached, and checks again on demand', async () => {
    getServiceStatus.mockRejectedValueOnce({
      body: { message: 'Unable to tunnel through proxy: callout failed' },
    });
    const element = await create();
    const panel = $(element, 'c-teams-error-panel');
    expect(panel.friendlyMessage).toBe('c.TB_ServiceLoadError');
    expect(panel.showRetry).toBe(true);
    expect(panel.errors.body.message).toBe('Unable to tunnel through proxy: callout failed');
    expect($(element, '.headline')).toBeNull();

    getServiceStatus.mockResolvedValueOnce(HEALTHY);
    $(element, 'lightning-button.check-now').click();
    await flushPromises();
    expect(getServiceStatus).toHaveBeenCalledTimes(2);
    expect($(element, 'c-teams-error-panel')).toBeNull();
    expect($(element, '.headline').textContent.trim()).toBe('c.TB_ServiceHealthy');
  });

  it('counts the cards waiting for an admin and resumes posting after a sandbox copy', async () => {
    const paused = { ...HEALTHY, outboundFailures: 7, outboundPaused: 'Sandbox uat: confirm the endpoint.' };
    getServiceStatus.mockResolvedValueOnce(paused).mockResolvedValueOnce({ ...HEALTHY, outboundFailures: 7 });
    resumeOutbound.mockResolvedValue(undefined);
    const element = await create();
    expect($(element, '.outbound-failures lightning-formatted-number').value).toBe(7);
    expect($(element, '.outbound-paused p').textContent).toBe('Sandbox uat: confirm the endpoint.');
    $(element, 'lightning-button.resume-outbound').click();
    await flushPromises();
    expect(resumeOutbound).toHaveBeenCalledTimes(1);
    expect(getServiceStatus).toHaveBeenCalledTimes(2);
    expect($(element, '.outbound-paused')).toBeNull();
  });

  it('hands the linked teams without the Teams app to the Teams app panel (healthy all the same)', async () => {
    const teams = [{ teamId: 't1', teamName: 'Sales', lastInstallAttempt: 'Graph answered 403' }];
    getServiceStatus.mockResolvedValueOnce({ ...HEALTHY, teamsWithoutApp: teams });
    const element = await create();
    expect($(element, '.headline').textContent.trim()).toBe('c.TB_ServiceHealthy');
    const panel = $(element, 'c-teams-app-installations');
    expect(panel.teams).toEqual(teams);
    expect(panel.loading).toBe(false);
  });

  it('says why posting could not be resumed', async () => {
    getServiceStatus.mockResolvedValueOnce({ ...HEALTHY, outboundPaused: 'paused' });
    resumeOutbound.mockRejectedValue({ body: { message: 'Teams_Bridge_Administer needed.' } });
    const element = await create();
    expect($(element, '.outbound-failures lightning-formatted-number').value).toBe(0);
    $(element, 'lightning-button.resume-outbound').click();
    await flushPromises();
    expect($(element, 'c-teams-error-panel').errors.body.message).toBe('Teams_Bridge_Administer needed.');
  });

  it('shows the Graph service account only when a channel posts as it, with what to do', async () => {
    const account = (state, reason) => ({
      ...HEALTHY,
      graphServiceAccount: state,
      graphServiceAccountReason: reason,
    });
    getServiceStatus.mockResolvedValueOnce(
      account('failing', 'MFA is now required for the service account (AADSTS50076): run sign-in again'),
    );
    const element = await create();
    const line = $(element, 'li[data-key="graph-service-account"]');
    expect(line.querySelector('.label').textContent).toBe('c.TB_GraphServiceAccount');
    expect(line.querySelector('.slds-badge').textContent).toBe('c.TB_StatusProblem');
    expect(line.querySelector('.slds-badge').className).toBe('slds-badge slds-theme_error');
    expect(line.querySelector('.hint').textContent).toMatch(/MFA is now required/);
    await expect(element).toBeAccessible();

    getServiceStatus.mockResolvedValueOnce(account('expiring', 'the refresh token expires in 9 day(s)'));
    $(element, 'lightning-button.check-now').click();
    await flushPromises();
    const expiring = $(element, 'li[data-key="graph-service-account"] .slds-badge');
    expect(expiring.textContent).toBe('c.TB_StatusExpiring');
    expect(expiring.className).toBe('slds-badge slds-theme_warning');

    getServiceStatus.mockResolvedValueOnce(account('ok', null));
    $(element, 'lightning-button.check-now').click();
    await flushPromises();
    expect($(element, 'li[data-key="graph-service-account"] .slds-badge').textContent).toBe('c.TB_StatusOk');
    expect($(element, 'li[data-key="graph-service-account"] .hint')).toBeNull();

    getServiceStatus.mockResolvedValueOnce(HEALTHY);
    $(element, 'lightning-button.check-now').click();
    await flushPromises();
    expect($(element, 'li[data-key="graph-service-account"]')).toBeNull();
  });
});
