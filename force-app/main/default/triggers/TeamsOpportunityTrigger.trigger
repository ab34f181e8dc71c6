trigger TeamsOpportunityTrigger on Opportunity(after update) {
  new TeamsOpportunityHandoffAction().run(Trigger.new, Trigger.oldMap);
}
