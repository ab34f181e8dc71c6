import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import LightningConfirm from 'lightning/confirm';
import listTeams from '@salesforce/apex/TeamsChannelLinkController.listTeams';
import listChannels from '@salesforce/apex/TeamsChannelLinkController.listChannels';
import linkChannel from '@salesforce/apex/TeamsChannelLinkController.linkChannel';
import createChannel from '@salesforce/apex/TeamsChannelLinkController.createChannel';
import unlinkChannel from '@salesforce/apex/TeamsChannelLinkController.unlinkChannel';
import OPPORTUNITY_NAME from '@salesforce/schema/Opportunity.Name';
import ACCOUNT_NAME from '@salesforce/schema/Account.Name';
import { reduceErrors } from 'c/ldsUtils';
import { formatLabel } from 'c/teamsFormat';
import LABELS from './labels';

const MODE_EXISTING = 'existing';
const MODE_CREATE = 'create';
// Key prefixes, for when the page does not tell us the object (e.g. an App Page with a record id).
const NAME_FIELD_BY_PREFIX = { '006': OPPORTUNITY_NAME, '001': ACCOUNT_NAME };
const NAME_FIELD_BY_OBJECT = { Opportunity: OPPORTUNITY_NAME, Account: ACCOUNT_NAME };

/**
 * Links this record to a Teams channel: pick a team and a channel (filterable), or create a channel named
 * after the record; unlinks after confirmation. Fires `linkchange` with `{ link }` (null after unlinking).
 */
export default class TeamsChannelLink extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** The current ChannelLinkDto, if any: shows it with an Unlink button. */
  @api link;

  labels = LABELS;
  mode = MODE_EXISTING;
  teams = [];
  teamsError;
  loadingTeams = false;
  teamsRequested = false;
  teamId;
  channels = [];
  channelsError;
  loadingChannels = false;
  channelFilter = '';
  channelId;
  newChannelName;
  recordName;
  busy = false;

  @wire(getRecord, { recordId: '$recordId', fields: '$nameFields' })
  wiredRecord({ data }) {
    if (data) {
      this.recordName = getFieldValue(data, this.nameFields[0]);
    }
  }

  /** Teams are listed through Graph: only when the picker is opened, once, not on every page view. */
  handleTeamPickerOpen() {
    if (!this.teamsRequested) {
      this.teamsRequested = true;
      this.loadTeams();
    }
  }

  get nameFields() {
    const field =
      NAME_FIELD_BY_OBJECT[this.objectApiName] ??
      NAME_FIELD_BY_PREFIX[String(this.recordId ?? '').slice(0, 3)];
    return field ? [field] : undefined;
  }

  get isLinked() {
    return !!this.link && this.link.status !== 'Unlinked';
  }

  get linkedSummary() {
    return formatLabel(LABELS.LINKED_TO, this.link?.channelName, this.link?.teamName);
  }

  get modeOptions() {
    return [
      { label: LABELS.MODE_EXISTING, value: MODE_EXISTING },
      { label: LABELS.MODE_CREATE, value: MODE_CREATE },
    ];
  }

  get isCreateMode() {
    return this.mode === MODE_CREATE;
  }

  get teamOptions() {
    return this.teams.map((team) => ({ label: team.displayName, value: team.id }));
  }

  get teamName() {
    return this.teams.find((team) => team.id === this.teamId)?.displayName ?? '';
  }

  get hasTeam() {
    return !!this.teamId;
  }

  get channelOptions() {
    const filter = this.channelFilter.trim().toLowerCase();
    return this.channels
      .filter((channel) => !filter || channel.displayName.toLowerCase().includes(filter))
      .map((channel) => ({
        label:
          channel.membershipType && channel.membershipType !== 'standard'
            ? `${channel.displayName} (${LABELS.PRIVATE_CHANNEL})`
            : channel.displayName,
        value: channel.id,
      }));
  }

  get hasChannelOptions() {
    return this.channelOptions.length > 0;
  }

  get showNoChannels() {
    return this.hasTeam && !this.loadingChannels && !this.channelsError && !this.hasChannelOptions;
  }

  get channelName() {
    return this.newChannelName ?? this.recordName ?? '';
  }

  get linkDisabled() {
    return this.busy || !this.teamId || !this.channelId;
  }

  get createDisabled() {
    return this.busy || !this.teamId || this.channelName.trim().length === 0;
  }

  async loadTeams() {
    this.loadingTeams = true;
    this.teamsError = undefined;
    try {
      this.teams = (await listTeams()) ?? [];
    } catch (error) {
      this.teamsError = error;
    } finally {
      this.loadingTeams = false;
    }
  }

  async loadChannels() {
    this.loadingChannels = true;
    this.channelsError = undefined;
    this.channels = [];
    try {
      this.channels = (await listChannels({ teamId: this.teamId })) ?? [];
    } catch (error) {
      this.channelsError = error;
    } finally {
      this.loadingChannels = false;
    }
  }

  handleModeChange(event) {
    this.mode = event.detail.value;
  }

  handleTeamChange(event) {
    this.teamId = event.detail.value;
    this.channelId = undefined;
    this.channelFilter = '';
    this.loadChannels();
  }

  handleFilterChange(event) {
    this.channelFilter = event.detail.value ?? '';
  }

  handleChannelChange(event) {
    this.channelId = event.detail.value;
  }

  handleNameChange(event) {
    this.newChannelName = event.detail.value ?? '';
  }

  async handleLink() {
    const channel = this.channels.find((candidate) => candidate.id === this.channelId);
    await this.run(LABELS.LINKED_TITLE, () =>
      linkChannel({
        recordId: this.recordId,
        teamId: this.teamId,
        teamName: this.teamName,
        channelId: channel.id,
        channelName: channel.displayName,
        webUrl: channel.webUrl,
      }),
    );
  }

  async handleCreate() {
    await this.run(LABELS.CREATED_TITLE, () =>
      createChannel({
        recordId: this.recordId,
        teamId: this.teamId,
        teamName: this.teamName,
        displayName: this.channelName.trim(),
      }),
    );
  }

  async handleUnlink() {
    const confirmed = await LightningConfirm.open({
      label: LABELS.UNLINK_CONFIRM_TITLE,
      message: formatLabel(LABELS.UNLINK_CONFIRM_MESSAGE, this.link.channelName),
      theme: 'warning',
    });
    if (!confirmed) {
      return;
    }
    await this.run(LABELS.UNLINKED_TITLE, async () => {
      await unlinkChannel({ linkId: this.link.id });
      return null;
    });
  }

  /** Runs one change, tells the user how it went, and tells the parent the new link. */
  async run(successTitle, action) {
    this.busy = true;
    try {
      const link = await action();
      this.toast(
        successTitle,
        link ? formatLabel(LABELS.LINKED_TO, link.channelName, link.teamName) : '',
        'success',
      );
      this.dispatchEvent(new CustomEvent('linkchange', { detail: { link } }));
    } catch (error) {
      this.toast(LABELS.LINK_FAILED, reduceErrors(error).join(' '), 'error');
    } finally {
      this.busy = false;
    }
  }

  toast(title, message, variant) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
