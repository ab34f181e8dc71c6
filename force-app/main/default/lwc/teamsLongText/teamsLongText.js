import { LightningElement, api } from 'lwc';
import { summarize } from 'c/teamsFormat';
import SHOW_DETAILS from '@salesforce/label/c.TB_ShowDetails';
import HIDE_DETAILS from '@salesforce/label/c.TB_HideDetails';

const DEFAULT_LENGTH = 60;

/**
 * A long text (an error message) as its first words, with "Show details" revealing the whole text in place.
 */
export default class TeamsLongText extends LightningElement {
  @api text;
  /** Most characters of the summary. */
  @api length = DEFAULT_LENGTH;

  expanded = false;

  get summary() {
    return summarize(this.text, Number(this.length) || DEFAULT_LENGTH);
  }

  get isLong() {
    return this.summary !== String(this.text ?? '').trim();
  }

  get ariaExpanded() {
    return String(this.expanded);
  }

  // Points at the full text only while it is rendered, so the reference is never dangling.
  get controlsId() {
    return this.expanded ? 'full' : undefined;
  }

  get toggleLabel() {
    return this.expanded ? HIDE_DETAILS : SHOW_DETAILS;
  }

  toggle() {
    this.expanded = !this.expanded;
  }
}
