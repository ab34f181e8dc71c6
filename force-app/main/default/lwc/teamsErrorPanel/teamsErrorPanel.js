import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import ERROR_HEADING from '@salesforce/label/c.TB_ErrorHeading';
import ERROR_ICON from '@salesforce/label/c.TB_ErrorIcon';

/**
 * An error panel that says why something failed: a heading plus every message found in `errors`.
 */
export default class TeamsErrorPanel extends LightningElement {
  /** A heading that tells the user what failed, e.g. "We couldn't load the conversation." */
  @api friendlyMessage = ERROR_HEADING;
  /** Any error shape: Apex/LDS FetchResponse, Error, string, or an array of them. */
  @api errors;

  iconAlternativeText = ERROR_ICON;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `${index}`, text }));
  }

  get hasMessages() {
    return this.messages.length > 0;
  }
}
