#!/usr/bin/env bash
# Installs Teams Bridge into a Salesforce org, step by step (see docs/install.md).
#
#   TEAMS_BRIDGE_SERVICE_URL=https://teams-bridge.example.com \
#   TEAMS_BRIDGE_SIGNING_SECRET=<the service's TEAMS_BRIDGE_SIGNING_SECRET, 32+ characters> \
#   scripts/setup-org.sh <org alias or username>
#
# Optional:
#   TEAMS_BRIDGE_INTEGRATION_USER  username of the service's Salesforce user (gets Teams_Bridge_Integration)
#   TEAMS_BRIDGE_SUBSCRIBER_USER   username the platform-event trigger runs as (default: the deploying admin)
#   TEAMS_BRIDGE_REP_USERS         comma-separated usernames of reps (get Teams_Bridge_User)
#
# Secrets are read from the environment and sent on stdin, never on a command line or to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
export SF_DISABLE_TELEMETRY=true SF_SKIP_NEW_VERSION_CHECK=true

API=v62.0
ORG="${1:-}"
URL="${TEAMS_BRIDGE_SERVICE_URL:-}"
SECRET="${TEAMS_BRIDGE_SIGNING_SECRET:-}"
PLACEHOLDER_URL='https://teams-bridge.invalid'

fail() { echo "setup-org: $*" >&2; exit 1; }

[ -n "$ORG" ] || fail "usage: scripts/setup-org.sh <org alias or username> (log in first: sf org login web -a <alias>)"
# The project's own CLI (npm ci) serves when no global one is installed.
command -v sf >/dev/null || PATH="$PWD/node_modules/.bin:$PATH"
command -v sf >/dev/null || fail "the Salesforce CLI (sf) is missing: run npm ci here, or npm install --global @salesforce/cli"
command -v node >/dev/null || fail "node is needed to build JSON bodies"
[[ "$URL" =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$ ]] ||
  fail "set TEAMS_BRIDGE_SERVICE_URL to the service's https URL without query or trailing slash, e.g. https://teams-bridge.example.com"
URL="${URL%/}"
[ "${#SECRET}" -ge 32 ] || fail "set TEAMS_BRIDGE_SIGNING_SECRET to the service's signing secret (at least 32 characters)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Reads a field of the JSON on stdin: json_field result.id
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v?.[k];if(v==null)process.exit(1);console.log(v)})' "$1"; }

# Writes a one-component metadata-format directory: mdapi_dir <dir> <type> <member> <path in dir> < content
mdapi_dir() {
  mkdir -p "$1/$(dirname "$4")" && cat >"$1/$4" &&
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>%s</members><name>%s</name></types><version>%s</version></Package>\n' \
      "$3" "$2" "${API#v}" >"$1/package.xml"
}

# Sends the JSON on stdin to the REST API: rest <method> <path>
rest() { sf api request rest "/services/data/$API$2" --method "$1" --body - --target-org "$ORG" >/dev/null; }

step() { echo; echo "== $*"; }

step "1/7 Reading the org" &&
  ORG_JSON="$(sf org display --target-org "$ORG" --json)" &&
  ORG_ID="$(json_field result.id <<<"$ORG_JSON")" &&
  ADMIN_USER="$(json_field result.username <<<"$ORG_JSON")" &&
  SUBSCRIBER="${TEAMS_BRIDGE_SUBSCRIBER_USER:-$ADMIN_USER}" &&
  { [[ "$SUBSCRIBER" =~ ^[A-Za-z0-9._+@-]+$ ]] || fail "TEAMS_BRIDGE_SUBSCRIBER_USER is not a Salesforce username: $SUBSCRIBER"; } &&
  echo "org $ORG_ID, admin $ADMIN_USER, platform-event subscriber $SUBSCRIBER" &&
  step "2/7 Deploying force-app" &&
  sf project deploy start --source-dir force-app --target-org "$ORG" --wait 30 &&
  step "3/7 Assigning permission sets" &&
  sf org assign permset --name Teams_Bridge_Admin --target-org "$ORG" &&
  if [ -n "${TEAMS_BRIDGE_INTEGRATION_USER:-}" ]; then
    sf org assign permset --name Teams_Bridge_Integration --on-behalf-of "$TEAMS_BRIDGE_INTEGRATION_USER" --target-org "$ORG"
  else
    echo "TEAMS_BRIDGE_INTEGRATION_USER not set: assign Teams_Bridge_Integration to the service's user later"
  fi &&
  if [ "$SUBSCRIBER" != "$ADMIN_USER" ]; then
    # The trigger's Queueable calls out as this user, so it needs the External Credential principal.
    sf org assign permset --name Teams_Bridge_User --on-behalf-of "$SUBSCRIBER" --target-org "$ORG"
  fi &&
  for rep in $(tr ',' ' ' <<<"${TEAMS_BRIDGE_REP_USERS:-}"); do
    sf org assign permset --name Teams_Bridge_User --on-behalf-of "$rep" --target-org "$ORG" || exit 1
  done &&
  step "4/7 Pointing the Named Credential Teams_Bridge_Service at $URL" &&
  sed "s#$PLACEHOLDER_URL#$URL#" force-app/main/default/namedCredentials/Teams_Bridge_Service.namedCredential-meta.xml |
  mdapi_dir "$WORK/nc" NamedCredential Teams_Bridge_Service namedCredentials/Teams_Bridge_Service.namedCredential &&
  grep -q "$URL" "$WORK/nc/namedCredentials/Teams_Bridge_Service.namedCredential" &&
  sf project deploy start --metadata-dir "$WORK/nc" --target-org "$ORG" --wait 10 &&
  step "5/7 Storing the signing secret in the External Credential principal Teams_Bridge_Signer" &&
  PRINCIPAL_JSON="$(node -e 'console.log(JSON.stringify({externalCredential:"Teams_Bridge_Service",principalName:"Teams_Bridge_Signer",principalType:"NamedPrincipal",authenticationProtocol:"Custom",credentials:{SigningSecret:{encrypted:true,value:process.env.TEAMS_BRIDGE_SIGNING_SECRET}}}))')" &&
  { rest POST /named-credentials/credential <<<"$PRINCIPAL_JSON" 2>/dev/null || rest PUT /named-credentials/credential <<<"$PRINCIPAL_JSON"; } &&
  step "6/7 Storing the signing secret Apex signs with (protected custom setting Teams_Bridge_Secret__c)" &&
  SECRET_ID="$(sf data query --query "SELECT Id FROM Teams_Bridge_Secret__c WHERE SetupOwnerId = '$ORG_ID'" --target-org "$ORG" --json | json_field result.records.0.Id || true)" &&
  if [ -n "$SECRET_ID" ]; then
    node -e 'console.log(JSON.stringify({Signing_Secret__c:process.env.TEAMS_BRIDGE_SIGNING_SECRET}))' |
      rest PATCH "/sobjects/Teams_Bridge_Secret__c/$SECRET_ID"
  else
    ORG_ID="$ORG_ID" node -e 'console.log(JSON.stringify({SetupOwnerId:process.env.ORG_ID,Signing_Secret__c:process.env.TEAMS_BRIDGE_SIGNING_SECRET}))' |
      rest POST /sobjects/Teams_Bridge_Secret__c
  fi &&
  step "7/7 Running the platform-event trigger as $SUBSCRIBER" &&
  sed "s#</platformEventConsumer>#</platformEventConsumer><user>$SUBSCRIBER</user>#" \
    force-app/main/default/PlatformEventSubscriberConfigs/TeamsOutboundTriggerConfig.platformEventSubscriberConfig-meta.xml |
  mdapi_dir "$WORK/pesc" PlatformEventSubscriberConfig TeamsOutboundTriggerConfig \
    PlatformEventSubscriberConfigs/TeamsOutboundTriggerConfig.platformEventSubscriberConfig &&
  sf project deploy start --metadata-dir "$WORK/pesc" --target-org "$ORG" --wait 10 &&
  echo &&
  echo "Teams Bridge is installed. Next: activate the 'Teams Opportunity Record Page' in Lightning App Builder" &&
  echo "(sf org open --target-org $ORG --path lightning/setup/FlexiPageList/home), open the Teams Bridge app," &&
  echo "and check Service Health on its setup tab."
