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

  it('shows a healthy service with each part working and the queue depth', async () => {
    getServiceStatus.mockResolvedValue(HEALTHY);
    const element = await create();
    expect($(element, '.headline').textContent.trim()).toBe('c.TB_ServiceHealthy');
    const icons = $$(element, '.component-status lightning-icon');
    expect(icons.map((icon) => icon.iconName)).toEqual([
      'utility:success',
      'utility:success',
      'utility:success',
    ]);
    expect(icons.map((icon) => icon.alternativeText)).toEqual([
      'c.TB_StatusOk',
      'c.TB_StatusOk',
      'c.TB_StatusOk',
    ]);
    expect($(element, '.queue-depth lightning-formatted-number').value).toBe(4);
    expect($(element, '.checked-at').textContent).toBe('c.TB_CheckedAt');
    expect($(element, '.message')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows what is wrong with an unhealthy service', async () => {
    getServiceStatus.mockResolvedValue(DEGRADED);
    const element = await create();
    expect($(element, '.headline').textContent.trim()).toBe('c.TB_ServiceUnhealthy');
    expect($(element, '.message').textContent).toBe(DEGRADED.message);
    const parts = $$(element, '.component-status');
    expect(parts[1].textContent.trim()).toBe(DEGRADED.graph);
    expect(parts[1].querySelector('lightning-icon').iconName).toBe('utility:error');
    expect(parts[1].querySelector('lightning-icon').alternativeText).toBe('c.TB_StatusProblem');
    expect(parts[0].querySelector('lightning-icon').iconName).toBe('utility:success');
    await expect(element).toBeAccessible();
  });

  it('accepts booleans for the parts of the service', async () => {
    getServiceStatus.mockResolvedValue({ ...HEALTHY, database: true, graph: false, salesforce: undefined });
    const element = await create();
    const parts = $$(element, '.component-status');
    expect(parts.map((part) => part.querySelector('lightning-icon').iconName)).toEqual([
      'utility:success',
      'utility:error',
      'utility:error',
    ]);
    expect(parts.map((part) => part.textContent.trim())).toEqual(['', '', '']);
  });

  it('says why when the service cannot be reached, and checks again on demand', async () => {
    getServiceStatus.mockRejectedValueOnce({
      body: { message: 'Unable to tunnel through proxy: callout failed' },
    });
    const element = await create();
    const panel = $(element, 'c-teams-error-panel');
    expect(panel.friendlyMessage).toBe('c.TB_ServiceLoadError');
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

  it('says why posting could not be resumed', async () => {
    getServiceStatus.mockResolvedValueOnce({ ...HEALTHY, outboundPaused: 'paused' });
    resumeOutbound.mockRejectedValue({ body: { message: 'Teams_Bridge_Administer needed.' } });
    const element = await create();
    expect($(element, '.outbound-failures lightning-formatted-number').value).toBe(0);
    $(element, 'lightning-button.resume-outbound').click();
    await flushPromises();
    expect($(element, 'c-teams-error-panel').errors.body.message).toBe('Teams_Bridge_Administer needed.');
  });
});
