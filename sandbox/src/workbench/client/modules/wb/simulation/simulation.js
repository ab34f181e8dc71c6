import { LightningElement, api } from 'lwc';
import { callWorkbench } from '../../../platform/http';
import { workbenchConfig } from '../../../platform/persona';

const NONE = '';

const OUTCOMES = {
  tasks: 'action items became Tasks',
  assigned: 'action items became Tasks',
  unassigned: 'no Account matched: the meeting is unassigned',
  skipped: 'skipped, no Tasks',
};

/**
 * The simulation panel: act in Teams as a Teams user, move the deal's stage, run a meeting transcript; results
 * show on the pages.
 */
export default class Simulation extends LightningElement {
  @api recordId;
  users = [];
  threads = [];
  stages = [];
  from;
  text = '';
  mention = NONE;
  link = '';
  replyToId = NONE;
  stageName;
  meetingsEnabled = false;
  meetings = [];
  meetingKey;
  transcriptRun;
  busy = false;
  result = '';

  connectedCallback() {
    this.loadState();
  }

  async loadState() {
    try {
      const state = await callWorkbench('/workbench/api/sim/state');
      this.users = state.users ?? [];
      this.threads = state.threads ?? [];
      this.stages = state.stages ?? [];
      this.from = this.from ?? this.users[0]?.upn;
      this.meetingsEnabled = !!state.meetings?.enabled;
      this.meetings = state.meetings?.transcripts ?? [];
      this.meetingKey = this.meetingKey ?? this.meetings[0]?.key;
    } catch (error) {
      this.result = `The simulation could not load: ${message(error)}`;
    }
  }

  get userOptions() {
    return this.users.map((u) => ({ label: `${u.displayName} (${u.upn})`, value: u.upn }));
  }
  get mentionOptions() {
    return [{ label: 'Nobody', value: NONE }, ...this.userOptions];
  }
  get threadOptions() {
    return [
      { label: 'New thread', value: NONE },
      ...this.threads.map((t) => ({ label: `${t.author}: ${t.preview}`, value: t.id })),
    ];
  }
  get meetingOptions() {
    return this.meetings.map((m) => ({ label: m.subject, value: m.key }));
  }
  get meetingSummary() {
    return this.meetings.find((m) => m.key === this.meetingKey)?.summary ?? '';
  }
  get stageOptions() {
    return this.stages.map((s) => ({ label: s, value: s }));
  }

  handleFrom(event) {
    this.from = event.detail.value;
  }
  handleText(event) {
    this.text = event.detail.value ?? '';
  }
  handleMention(event) {
    this.mention = event.detail.value;
  }
  handleLink(event) {
    this.link = event.detail.value ?? '';
  }
  handleThread(event) {
    this.replyToId = event.detail.value;
  }
  handleMeeting(event) {
    this.meetingKey = event.detail.value;
  }
  handleStage(event) {
    this.stageName = event.detail.value;
  }

  async handlePost() {
    await this.run(async () => {
      const posted = await callWorkbench('/workbench/api/sim/post-message', {
        from: this.from,
        text: this.text,
        mentions: this.mention ? [this.mention] : [],
        link: this.link,
        replyToId: this.replyToId || undefined,
      });
      this.text = '';
      this.link = '';
      this.mention = NONE;
      this.replyToId = NONE;
      await this.loadState();
      return `Posted message ${posted.id} in Deal Desk.`;
    });
  }

  async handleMoveStage() {
    await this.run(async () => {
      const moved = await callWorkbench('/workbench/api/sim/move-stage', {
        recordId: this.recordId,
        stageName: this.stageName,
      });
      this.dispatchEvent(new CustomEvent('recordchange', { bubbles: true, composed: true }));
      return moved.outbound
        ? `Stage is ${moved.stageName}: the handoff card was sent to the service (${JSON.stringify(moved.outbound)}).`
        : `Stage is ${moved.stageName}.`;
    });
  }

  async handleRunTranscript() {
    this.transcriptRun = undefined;
    await this.run(async () => {
      const run = await callWorkbench('/workbench/api/sim/run-transcript', { key: this.meetingKey });
      this.transcriptRun = presentRun(run);
      return run.message;
    });
  }

  async run(action) {
    this.busy = true;
    try {
      this.result = await action();
    } catch (error) {
      this.result = `That didn't work: ${message(error)}`;
    } finally {
      this.busy = false;
    }
  }
}

/** The run's outcome, its action items, and a link to the page where the result shows. */
function presentRun(run) {
  const links = workbenchConfig().links ?? {};
  const onRecord = run.outcome === 'tasks' || run.outcome === 'assigned';
  return {
    subject: run.subject,
    outcomeLabel: OUTCOMES[run.outcome] ?? run.outcome,
    hasItems: run.actionItems.length > 0,
    items: run.actionItems.map((item, index) => ({
      key: `${index}`,
      label: `${item.speaker}: ${item.text}${item.due ? ` (due ${item.due})` : ''}`,
    })),
    link: onRecord ? recordLink(run.recordId) : setupLink(links.setup),
  };
}

/** The Opportunity's record page as the current persona (the workbench has no Account page), unless shown. */
function recordLink(recordId) {
  const config = workbenchConfig();
  const shown = config.page === 'record' && config.recordId === recordId;
  if (!recordId?.startsWith('006') || shown) return undefined;
  const persona = workbenchConfig().persona?.key;
  const query = persona ? `?as=${encodeURIComponent(persona)}` : '';
  return {
    url: `/lightning/r/Opportunity/${recordId}/view${query}`,
    label: 'Open the record page: related Tasks',
  };
}

/** The setup tab, unless it is the page shown. */
function setupLink(url) {
  if (workbenchConfig().page === 'setup') return undefined;
  return { url, label: 'Open the setup tab: Unassigned meetings' };
}

function message(error) {
  return error?.body?.[0]?.message ?? error?.body?.message ?? error?.message ?? String(error);
}
