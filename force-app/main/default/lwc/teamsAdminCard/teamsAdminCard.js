import { LightningElement, api } from 'lwc';
import REFRESH from '@salesforce/label/c.TB_Refresh';
import LOADING from '@salesforce/label/c.TB_Loading';

/**
 * The shape every admin panel shares: a description with actions and a refresh button, then a spinner while
 * loading, the error (with "Try again") when loading failed, the empty message when there is nothing, and
 * the panel's own content (its table) in the default slot, a pager in `footer`.
 * Fires `refresh` from the refresh button and from "Try again".
 */
export default class TeamsAdminCard extends LightningElement {
  /** What the panel shows, or a summary of it. */
  @api description;
  @api loading = false;
  /** Why loading failed: any error shape c-teams-error-panel reads. */
  @api errors;
  /** What failed, in words ("We couldn't load the rules."). */
  @api errorMessage;
  /** True when loading worked and there is nothing to show. */
  @api empty = false;
  @api emptyMessage;
  /** Offers the refresh button and "Try again"; turn off for panels that cannot reload. */
  @api refreshable = false;

  refreshLabel = REFRESH;
  loadingLabel = LOADING;

  get showEmpty() {
    return this.empty && !this.loading && !this.errors;
  }

  handleRefresh() {
    this.dispatchEvent(new CustomEvent('refresh'));
  }
}
