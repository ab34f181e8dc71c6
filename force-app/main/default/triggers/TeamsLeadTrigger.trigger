trigger TeamsLeadTrigger on Lead(after update) {
  new TeamsLeadConvertedAction().run(Trigger.new, Trigger.oldMap);
}
