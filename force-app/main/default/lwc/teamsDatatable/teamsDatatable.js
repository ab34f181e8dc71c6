import LightningDatatable from 'lightning/datatable';
import badgeTemplate from './badge.html';
import relativeTimeTemplate from './relativeTime.html';
import longTextTemplate from './longText.html';

/**
 * lightning-datatable plus three cell types:
 * - `badge`: the value as an SLDS badge; typeAttributes `badgeClass` (from `badgeClass()` below).
 * - `relativeTime`: epoch millis as "2 hours ago" with the exact time in a title; typeAttributes `exact`
 *   (the title) and `emptyLabel` (shown without a time, e.g. "Never").
 * - `longText`: the first words of a long text with "Show details" for the rest (c-teams-long-text).
 */
const BADGE_THEMES = {
  success: 'slds-badge slds-theme_success',
  warning: 'slds-badge slds-theme_warning',
  error: 'slds-badge slds-theme_error',
};

/**
 * The SLDS classes of a badge in one of the themes: success, warning, error; anything else is the neutral badge.
 * @param {String} theme
 * @return {String}
 */
export function badgeClass(theme) {
  return BADGE_THEMES[theme] ?? 'slds-badge';
}

export default class TeamsDatatable extends LightningDatatable {
  static customTypes = {
    badge: { template: badgeTemplate, standardCellLayout: true, typeAttributes: ['badgeClass'] },
    relativeTime: {
      template: relativeTimeTemplate,
      standardCellLayout: true,
      typeAttributes: ['exact', 'emptyLabel'],
    },
    longText: { template: longTextTemplate, standardCellLayout: true, typeAttributes: ['length'] },
  };
}
