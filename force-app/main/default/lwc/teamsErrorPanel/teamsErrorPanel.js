import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import ERROR_HEADING from '@salesforce/label/c.TB_ErrorHeading';
import ERROR_ICON from '@salesforce/label/c.TB_ErrorIcon';
import TRY_AGAIN from '@salesforce/label/c.TB_TryAgain';

/**
 * The SLDS error alert: what failed, why (one line, or a list when there are several reasons) and, when
 * `show-retry` is set, a "Try again" button that fires `retry`.
 */
export default class TeamsErrorPanel extends LightningElement {
  /** A heading that tells the user what failed, e.g. "We couldn't load the conversation." */
  @api friendlyMessage = ERROR_HEADING;
  /** Any error shape: Apex/LDS FetchResponse, Error, string, or an array of them. */
  @api errors;
  /** Offers "Try again" (fires `retry`) when the failed action can simply be repeated. */
  @api showRetry = false;

  iconAlternativeText = ERROR_ICON;
  retryLabel = TRY_AGAIN;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `${index}`, text }));
  }

  get hasOneMessage() {
    return this.messages.length === 1;
  }

  get firstMessage() {
    return this.messages[0]?.text;
  }

  get hasManyMessages() {
    return this.messages.length > 1;
  }

  handleRetry() {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}
