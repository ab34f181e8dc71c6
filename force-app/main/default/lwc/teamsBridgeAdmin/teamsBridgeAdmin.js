import { LightningElement } from 'lwc';
import TITLE from '@salesforce/label/c.TB_AdminTitle';
import SUBTITLE from '@salesforce/label/c.TB_AdminSubtitle';
import TAB_MAPPINGS from '@salesforce/label/c.TB_TabMappings';
import TAB_CHANNELS from '@salesforce/label/c.TB_TabChannels';
import TAB_RULES from '@salesforce/label/c.TB_TabRules';
import TAB_ACTIVITY from '@salesforce/label/c.TB_TabActivity';
import TAB_DEAD_LETTERS from '@salesforce/label/c.TB_TabDeadLetters';
import TAB_SERVICE from '@salesforce/label/c.TB_TabService';
import TAB_UNASSIGNED_MEETINGS from '@salesforce/label/c.TB_TabUnassignedMeetings';

/**
 * The Teams Bridge setup tab: one tab per admin job, each a small component of its own.
 */
export default class TeamsBridgeAdmin extends LightningElement {
  labels = {
    TITLE,
    SUBTITLE,
    TAB_MAPPINGS,
    TAB_CHANNELS,
    TAB_RULES,
    TAB_ACTIVITY,
    TAB_DEAD_LETTERS,
    TAB_SERVICE,
    TAB_UNASSIGNED_MEETINGS,
  };
}
