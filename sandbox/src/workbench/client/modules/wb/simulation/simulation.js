import { LightningElement, api } from 'lwc';
import { callWorkbench } from '../../../platform/http';

const NONE = '';

/** The simulation panel: act in Teams as a Teams user, move the deal's stage; results show on the pages. */
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

function message(error) {
  return error?.body?.[0]?.message ?? error?.body?.message ?? error?.message ?? String(error);
}
