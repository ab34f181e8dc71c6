trigger TeamsOutboundTrigger on Teams_Outbound__e(after insert) {
  new TeamsOutboundDispatcher().run(Trigger.new);
}
