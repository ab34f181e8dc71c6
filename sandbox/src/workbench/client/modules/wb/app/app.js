import { LightningElement } from 'lwc';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { workbenchConfig } from '../../../platform/persona';

const TOAST_MS = 8000;
let nextToastId = 1;

/** The workbench shell: app bar with the two pages, the persona switch, the page, the simulation panel, toasts. */
export default class App extends LightningElement {
  config = workbenchConfig();
  toasts = [];

  connectedCallback() {
    this.template.addEventListener('lightning__showtoast', (event) => this.showToast(event.detail ?? {}));
    this.template.addEventListener('workbench__navigate', (event) => this.navigate(event.detail ?? {}));
  }

  get isRecordPage() {
    return this.config.page === 'record';
  }
  get recordId() {
    return this.config.recordId;
  }
  get demoRecordId() {
    return this.config.recordId ?? this.config.links?.record?.split('/')[4];
  }
  get links() {
    return this.config.links ?? {};
  }
  get pollIntervalSeconds() {
    return this.config.pollIntervalSeconds;
  }
  get recordTabClass() {
    return `wb-tab${this.isRecordPage ? ' wb-tab_active' : ''}`;
  }
  get setupTabClass() {
    return `wb-tab${this.isRecordPage ? '' : ' wb-tab_active'}`;
  }
  get recordCurrent() {
    return this.isRecordPage ? 'page' : undefined;
  }
  get setupCurrent() {
    return this.isRecordPage ? undefined : 'page';
  }
  get personaOptions() {
    return (this.config.personas ?? []).map((p) => ({
      key: p.key,
      label: `${p.name} — ${p.label}`,
      selected: p.key === this.config.persona?.key,
    }));
  }

  handlePersonaChange(event) {
    const url = new URL(window.location.href);
    url.searchParams.set('as', event.target.value);
    window.location.assign(url.toString());
  }

  handleRecordChange() {
    notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
  }

  showToast({ title, message, variant = 'info', messageData }) {
    let text = message ?? '';
    (messageData ?? []).forEach((value, index) => {
      text = text.replace(`{${index}}`, typeof value === 'string' ? value : (value?.label ?? ''));
    });
    const id = nextToastId++;
    const theme = { success: 'success', error: 'error', warning: 'warning' }[variant] ?? 'info';
    this.toasts = [
      ...this.toasts,
      {
        id,
        title,
        message: text,
        role: variant === 'error' ? 'alert' : 'status',
        className: `slds-notify slds-notify_toast slds-theme_${theme} toast toast_${variant}`,
      },
    ];
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    setTimeout(() => this.closeToast(id), TOAST_MS);
  }

  closeToast(id) {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  handleCloseToast(event) {
    this.closeToast(Number(event.currentTarget.dataset.id));
  }

  navigate({ url }) {
    if (url && url.startsWith('/lightning/')) {
      const target = new URL(url, window.location.origin);
      if (this.config.persona?.key) target.searchParams.set('as', this.config.persona.key);
      window.location.assign(target.toString());
      return;
    }
    this.showToast({
      title: 'Not in the workbench',
      message: `In an org this opens ${url ?? 'another page'}; the workbench has only the record page and the setup tab.`,
      variant: 'info',
    });
  }
}
