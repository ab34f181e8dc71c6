// getRecord is the test wire adapter of sfdx-lwc-jest here: emit() and getLastConfig() are its test API.
/* eslint-disable @lwc/lwc/no-unexpected-wire-adapter-usages */
import { createElement } from 'lwc';
import TeamsChannelLink from 'c/teamsChannelLink';
import { getRecord } from 'lightning/uiRecordApi';
import LightningConfirm from 'lightning/confirm';
import listTeams from '@salesforce/apex/TeamsChannelLinkController.listTeams';
import listChannels from '@salesforce/apex/TeamsChannelLinkController.listChannels';
import linkChannel from '@salesforce/apex/TeamsChannelLinkController.linkChannel';
import createChannel from '@salesforce/apex/TeamsChannelLinkController.createChannel';
import unlinkChannel from '@salesforce/apex/TeamsChannelLinkController.unlinkChannel';

const TEAMS = require('./data/teams.json');
const CHANNELS = require('./data/channels.json');
const LINK = require('./data/channelLink.json');
const OPPORTUNITY = require('./data/opportunity.json');

jest.mock('@salesforce/apex/TeamsChannelLinkController.listTeams', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsChannelLinkController.listChannels', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsChannelLinkController.linkChannel', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsChannelLinkController.createChannel', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/TeamsChannelLinkController.unlinkChannel', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

const RECORD_ID = '006000000000001AAA';
const TOAST = 'lightning__showtoast';
// Lets pending Apex promises settle and the component re-render (microtasks only).
async function flushPromises() {
  for (let i = 0; i < 10; i++) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function create(props = {}) {
  const element = createElement('c-teams-channel-link', { is: TeamsChannelLink });
  Object.assign(element, { recordId: RECORD_ID, objectApiName: 'Opportunity', ...props });
  document.body.appendChild(element);
  return element;
}

function change(target, value) {
  target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

async function createWithTeam(props) {
  listTeams.mockResolvedValue(TEAMS);
  listChannels.mockResolvedValue(CHANNELS);
  const element = create(props);
  await flushPromises();
  change($(element, 'lightning-combobox.team'), TEAMS[0].id);
  await flushPromises();
  return element;
}

describe('c-teams-channel-link', () => {
  let toast;
  let linkchange;

  function listen(element) {
    toast = jest.fn();
    linkchange = jest.fn();
    element.addEventListener(TOAST, toast);
    element.addEventListener('linkchange', linkchange);
    return element;
  }

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    // Reset only our mocks: resetAllMocks would also drop the implementation of the uiRecordApi stub's getFieldValue.
    [listTeams, listChannels, linkChannel, createChannel, unlinkChannel, LightningConfirm.open].forEach(
      (mock) => mock.mockReset(),
    );
  });

  it('lists the teams to choose from', async () => {
    listTeams.mockResolvedValue(TEAMS);
    const element = create();
    await flushPromises();
    expect($(element, 'lightning-combobox.team').options).toEqual([
      { label: 'Contoso Sales', value: TEAMS[0].id },
      { label: 'Deal Desk', value: TEAMS[1].id },
    ]);
    expect($(element, 'lightning-button.link').disabled).toBe(true);
    expect($(element, 'lightning-input.channel-filter')).toBeNull();
    await expect(element).toBeAccessible();
  });

  // lightning-button renders inline: a margin class on it does not move it, so a block wrapper carries it.
  it('spaces the Link and Create buttons from the field above with a block, not on the inline button', async () => {
    listTeams.mockResolvedValue(TEAMS);
    const element = create();
    await flushPromises();
    const link = $(element, 'lightning-button.link');
    expect(link.parentElement.tagName).toBe('DIV');
    expect(link.parentElement.classList).toContain('slds-m-top_small');
    expect([...link.classList].filter((name) => name.startsWith('slds-m-'))).toEqual([]);

    change($(element, 'lightning-radio-group.mode'), 'create');
    await flushPromises();
    const createButton = $(element, 'lightning-button.create');
    expect(createButton.parentElement.tagName).toBe('DIV');
    expect(createButton.parentElement.classList).toContain('slds-m-top_small');
    expect([...createButton.classList].filter((name) => name.startsWith('slds-m-'))).toEqual([]);
  });

  it('says why when the teams cannot be loaded', async () => {
    listTeams.mockRejectedValue({ body: { message: 'The Teams Bridge service is not configured.' } });
    const element = create();
    await flushPromises();
    const panel = $(element, 'c-teams-error-panel.teams-error');
    expect(panel.friendlyMessage).toBe('c.TB_TeamsLoadError');
    expect(panel.errors.body.message).toBe('The Teams Bridge service is not configured.');
  });

  it('lists the channels of the chosen team, marks private ones, and filters them by name', async () => {
    const element = await createWithTeam();
    expect(listChannels).toHaveBeenCalledWith({ teamId: TEAMS[0].id });
    const channels = $(element, 'lightning-radio-group.channel');
    expect(channels.options.map((option) => option.label)).toEqual([
      'General',
      'Deal - Acme Renewal',
      'Leadership (c.TB_PrivateChannel)',
    ]);

    change($(element, 'lightning-input.channel-filter'), 'ACME');
    await flushPromises();
    expect($(element, 'lightning-radio-group.channel').options).toEqual([
      { label: 'Deal - Acme Renewal', value: '19:deal-acme@thread.tacv2' },
    ]);

    change($(element, 'lightning-input.channel-filter'), 'nothing like this');
    await flushPromises();
    expect($(element, 'lightning-radio-group.channel')).toBeNull();
    expect($(element, '.no-channels').textContent).toBe('c.TB_NoChannels');
    await expect(element).toBeAccessible();
  });

  it('shows a placeholder while channels load, and says why when they cannot', async () => {
    listTeams.mockResolvedValue(TEAMS);
    let rejectChannels;
    listChannels.mockReturnValue(
      new Promise((resolve, reject) => {
        rejectChannels = reject;
      }),
    );
    const element = create();
    await flushPromises();
    change($(element, 'lightning-combobox.team'), TEAMS[1].id);
    await flushPromises();
    expect($(element, '.loading-channels lightning-spinner')).not.toBeNull();
    expect($(element, '.no-channels')).toBeNull();

    rejectChannels({ body: { message: 'Team not found in Microsoft Graph.' } });
    await flushPromises();
    expect($(element, '.loading-channels')).toBeNull();
    expect($(element, 'c-teams-error-panel.channels-error').errors.body.message).toBe(
      'Team not found in Microsoft Graph.',
    );
  });

  it('links the chosen channel, toasts and fires linkchange with the new link', async () => {
    const element = listen(await createWithTeam());
    linkChannel.mockResolvedValue(LINK);
    change($(element, 'lightning-radio-group.channel'), '19:deal-acme@thread.tacv2');
    await flushPromises();
    const linkButton = $(element, 'lightning-button.link');
    expect(linkButton.disabled).toBe(false);
    linkButton.click();
    await flushPromises();

    expect(linkChannel).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      teamId: TEAMS[0].id,
      teamName: 'Contoso Sales',
      channelId: '19:deal-acme@thread.tacv2',
      channelName: 'Deal - Acme Renewal',
      webUrl: CHANNELS[1].webUrl,
    });
    expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'c.TB_LinkedTitle', variant: 'success' });
    expect(linkchange.mock.calls[0][0].detail).toEqual({ link: LINK });
  });

  it('toasts the reason and fires no linkchange when linking fails', async () => {
    const element = listen(await createWithTeam());
    linkChannel.mockRejectedValue({
      body: { message: 'This channel is already linked to Globex Expansion.' },
    });
    change($(element, 'lightning-radio-group.channel'), '19:general@thread.tacv2');
    await flushPromises();
    $(element, 'lightning-button.link').click();
    await flushPromises();
    expect(toast.mock.calls[0][0].detail).toEqual({
      title: 'c.TB_LinkFailed',
      message: 'This channel is already linked to Globex Expansion.',
      variant: 'error',
    });
    expect(linkchange).not.toHaveBeenCalled();
    expect($(element, 'lightning-button.link').disabled).toBe(false);
  });

  it('forgets the chosen channel when the team changes', async () => {
    const element = await createWithTeam();
    change($(element, 'lightning-radio-group.channel'), '19:general@thread.tacv2');
    await flushPromises();
    change($(element, 'lightning-combobox.team'), TEAMS[1].id);
    await flushPromises();
    expect(listChannels).toHaveBeenLastCalledWith({ teamId: TEAMS[1].id });
    expect($(element, 'lightning-button.link').disabled).toBe(true);
  });

  describe('creating a channel', () => {
    it('names it after the Opportunity (getRecord) and creates it in the chosen team', async () => {
      const element = listen(await createWithTeam());
      expect(getRecord.getLastConfig()).toEqual({
        recordId: RECORD_ID,
        fields: [{ objectApiName: 'Opportunity', fieldApiName: 'Name' }],
      });
      getRecord.emit(OPPORTUNITY);
      change($(element, 'lightning-radio-group.mode'), 'create');
      await flushPromises();

      const name = $(element, 'lightning-input.channel-name');
      expect(name.value).toBe('Acme Renewal 2027');
      createChannel.mockResolvedValue({ ...LINK, channelName: 'Acme Renewal 2027' });
      $(element, 'lightning-button.create').click();
      await flushPromises();

      expect(createChannel).toHaveBeenCalledWith({
        recordId: RECORD_ID,
        teamId: TEAMS[0].id,
        teamName: 'Contoso Sales',
        displayName: 'Acme Renewal 2027',
      });
      expect(toast.mock.calls[0][0].detail.title).toBe('c.TB_CreatedTitle');
      expect(linkchange.mock.calls[0][0].detail.link.channelName).toBe('Acme Renewal 2027');
      await expect(element).toBeAccessible();
    });

    it('uses the name the user typed, and needs one', async () => {
      const element = await createWithTeam();
      change($(element, 'lightning-radio-group.mode'), 'create');
      await flushPromises();
      const createButton = $(element, 'lightning-button.create');
      expect(createButton.disabled).toBe(true);

      change($(element, 'lightning-input.channel-name'), '  Acme - Deal Room ');
      await flushPromises();
      expect(createButton.disabled).toBe(false);
      createChannel.mockResolvedValue(LINK);
      createButton.click();
      await flushPromises();
      expect(createChannel.mock.calls[0][0].displayName).toBe('Acme - Deal Room');

      change($(element, 'lightning-input.channel-name'), '   ');
      await flushPromises();
      expect(createButton.disabled).toBe(true);
    });

    it('reads the Account name on an Account, found by the record id prefix without an object name', async () => {
      listTeams.mockResolvedValue(TEAMS);
      create({ recordId: '001000000000001AAA', objectApiName: undefined });
      await flushPromises();
      expect(getRecord.getLastConfig().fields).toEqual([{ objectApiName: 'Account', fieldApiName: 'Name' }]);
    });
  });

  describe('with a linked channel', () => {
    it('shows the link and unlinks after confirmation', async () => {
      listTeams.mockResolvedValue(TEAMS);
      const element = listen(create({ link: LINK }));
      await flushPromises();
      expect($(element, '.linked-summary').textContent).toBe('c.TB_LinkedTo');
      expect($(element, 'lightning-combobox.team')).toBeNull();
      await expect(element).toBeAccessible();

      LightningConfirm.open.mockResolvedValue(true);
      unlinkChannel.mockResolvedValue(undefined);
      $(element, 'lightning-button.unlink').click();
      await flushPromises();

      expect(LightningConfirm.open).toHaveBeenCalledWith({
        label: 'c.TB_UnlinkConfirmTitle',
        message: 'c.TB_UnlinkConfirmMessage',
        theme: 'warning',
      });
      expect(unlinkChannel).toHaveBeenCalledWith({ linkId: LINK.id });
      expect(toast.mock.calls[0][0].detail).toMatchObject({
        title: 'c.TB_UnlinkedTitle',
        variant: 'success',
      });
      expect(linkchange.mock.calls[0][0].detail).toEqual({ link: null });
    });

    it('keeps the link when the user cancels', async () => {
      listTeams.mockResolvedValue(TEAMS);
      const element = listen(create({ link: LINK }));
      LightningConfirm.open.mockResolvedValue(false);
      $(element, 'lightning-button.unlink').click();
      await flushPromises();
      expect(unlinkChannel).not.toHaveBeenCalled();
      expect(linkchange).not.toHaveBeenCalled();
    });

    it('toasts the reason when unlinking fails', async () => {
      listTeams.mockResolvedValue(TEAMS);
      const element = listen(create({ link: LINK }));
      LightningConfirm.open.mockResolvedValue(true);
      unlinkChannel.mockRejectedValue({
        body: { message: 'You need the Teams Bridge User permission set.' },
      });
      $(element, 'lightning-button.unlink').click();
      await flushPromises();
      expect(toast.mock.calls[0][0].detail.message).toBe('You need the Teams Bridge User permission set.');
      expect(linkchange).not.toHaveBeenCalled();
    });

    it('offers the picker again for an unlinked link', async () => {
      listTeams.mockResolvedValue(TEAMS);
      const element = create({ link: { ...LINK, status: 'Unlinked' } });
      await flushPromises();
      expect($(element, 'lightning-button.unlink')).toBeNull();
      expect($(element, 'lightning-combobox.team')).not.toBeNull();
    });
  });
});
