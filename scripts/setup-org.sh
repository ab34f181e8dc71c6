#!/usr/bin/env bash
# Installs Teams Bridge into a Salesforce org, step by step (docs/install.md lists the same steps).
#
#   TEAMS_BRIDGE_SERVICE_URL=https://teams-bridge.example.com \
#   TEAMS_BRIDGE_INTEGRATION_USER=teams-bridge@example.com \
#   scripts/setup-org.sh <org alias or username>
#
# Optional:
#   TEAMS_BRIDGE_EVENT_USER        username the Teams_Outbound__e trigger runs as (default: the integration user);
#                                  gets Teams_Bridge_Outbound, the only permission set that may use the credential
#   TEAMS_BRIDGE_REP_USERS         comma-separated usernames of reps (get Teams_Bridge_User)
#   TEAMS_BRIDGE_TEST_LEVEL        deploy test level (default RunLocalTests: the tests run as a production deploy
#                                  runs them, before any permission set is assigned)
#   TEAMS_BRIDGE_CERTIFICATE_FILE  where to write the org certificate the service verifies with
#                                  (default teams-bridge-salesforce.crt; it is public: no secret in it)
#   TEAMS_BRIDGE_CONFIRM_ENDPOINT  yes: this org's Named Credential and certificate are its own (a fresh sandbox
#                                  starts with outbound posting paused until this is confirmed)
#
# No secret is read, stored or printed: Salesforce signs each callout with the org certificate's private key,
# which never leaves Salesforce.
set -euo pipefail
cd "$(dirname "$0")/.."
export SF_DISABLE_TELEMETRY=true SF_SKIP_NEW_VERSION_CHECK=true SF_AUTOUPDATE_DISABLE=true

API=v62.0
ORG="${1:-}"
URL="${TEAMS_BRIDGE_SERVICE_URL:-}"
INTEGRATION="${TEAMS_BRIDGE_INTEGRATION_USER:-}"
TEST_LEVEL="${TEAMS_BRIDGE_TEST_LEVEL:-RunLocalTests}"
CERT_FILE="${TEAMS_BRIDGE_CERTIFICATE_FILE:-teams-bridge-salesforce.crt}"
CERT=Teams_Bridge_Service_Signing
PLACEHOLDER_URL='https://teams-bridge.invalid'

fail() { echo "setup-org: $*" >&2; exit 1; }
username_ok() { [[ "$1" =~ ^[A-Za-z0-9._+@-]+$ ]]; }

[ -n "$ORG" ] || fail "usage: scripts/setup-org.sh <org alias or username> (log in first: sf org login web -a <alias>)"
# The project's own CLI (npm ci) serves when no global one is installed.
command -v sf >/dev/null || PATH="$PWD/node_modules/.bin:$PATH"
command -v sf >/dev/null || fail "the Salesforce CLI (sf) is missing: run npm ci here, or npm install --global @salesforce/cli"
command -v node >/dev/null || fail "node is needed to read JSON"
[[ "$URL" =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$ ]] ||
  fail "set TEAMS_BRIDGE_SERVICE_URL to the service's https URL without query or trailing slash, e.g. https://teams-bridge.example.com"
URL="${URL%/}"
username_ok "$INTEGRATION" || fail "set TEAMS_BRIDGE_INTEGRATION_USER to the username of the service's Salesforce user"
EVENT_USER="${TEAMS_BRIDGE_EVENT_USER:-$INTEGRATION}"
username_ok "$EVENT_USER" || fail "TEAMS_BRIDGE_EVENT_USER is not a Salesforce username: $EVENT_USER"
case "$TEST_LEVEL" in NoTestRun | RunLocalTests | RunAllTestsInOrg) ;; *) fail "TEAMS_BRIDGE_TEST_LEVEL must be NoTestRun, RunLocalTests or RunAllTestsInOrg" ;; esac

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Reads a field of the JSON on stdin: json_field result.id
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v?.[k];if(v==null)process.exit(1);console.log(v)})' "$1"; }

# A metadata-format directory for one component: mdapi_dir <dir> <type> <member> <path in dir> < content
mdapi_dir() {
  mkdir -p "$1/$(dirname "$4")" && cat >"$1/$4" &&
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>%s</members><name>%s</name></types><version>%s</version></Package>\n' \
      "$3" "$2" "${API#v}" >"$1/package.xml"
}

# Retrieves the org certificate (public part) into $WORK/cert; fails when the org has none.
retrieve_certificate() {
  rm -rf "$WORK/cert" &&
    sf project retrieve start --metadata "Certificate:$CERT" --target-metadata-dir "$WORK/cert" --unzip \
      --target-org "$ORG" --wait 10 >/dev/null 2>&1 &&
    find "$WORK/cert" -name "$CERT.crt" -size +0 | grep -q .
}

step() { echo; echo "== $*"; }

step "1/9 Reading the org" &&
  ORG_JSON="$(sf org display --target-org "$ORG" --json)" &&
  ADMIN_USER="$(json_field result.username <<<"$ORG_JSON")" &&
  IS_SANDBOX="$(sf data query --query 'SELECT IsSandbox FROM Organization' --target-org "$ORG" --json | json_field result.records.0.IsSandbox)" &&
  echo "admin $ADMIN_USER, sandbox: $IS_SANDBOX, integration user $INTEGRATION, trigger runs as $EVENT_USER" &&
  step "2/9 The org certificate $CERT the JWT external credential signs with" &&
  if retrieve_certificate; then
    echo "found"
  else
    # Metadata API creates a self-signed certificate (private key not exportable) from an empty .crt.
    sf project deploy start --metadata-dir config/certificate --target-org "$ORG" --wait 10 >/dev/null &&
      retrieve_certificate || fail "could not create the certificate: in Setup > Certificate and Key Management, create a self-signed certificate named $CERT (2048 bits, private key not exportable), then run this again"
    echo "created"
  fi &&
  cp "$(find "$WORK/cert" -name "$CERT.crt" | head -1)" "$CERT_FILE" &&
  echo "public certificate written to $CERT_FILE" &&
  step "3/9 Deploying force-app (tests: $TEST_LEVEL, before any permission set is assigned)" &&
  sf project deploy start --source-dir force-app --target-org "$ORG" --test-level "$TEST_LEVEL" --wait 60 &&
  step "4/9 Running the platform-event trigger as $EVENT_USER (kept out of force-app: a plain deploy would reset it)" &&
  sed "s#</platformEventConsumer>#</platformEventConsumer>\n  <user>$EVENT_USER</user>#" \
    config/subscriber/TeamsOutboundTriggerConfig.platformEventSubscriberConfig-meta.xml |
  mdapi_dir "$WORK/pesc" PlatformEventSubscriberConfig TeamsOutboundTriggerConfig \
    PlatformEventSubscriberConfigs/TeamsOutboundTriggerConfig.platformEventSubscriberConfig &&
  grep -q "<user>$EVENT_USER</user>" "$WORK/pesc/PlatformEventSubscriberConfigs/TeamsOutboundTriggerConfig.platformEventSubscriberConfig" &&
  sf project deploy start --metadata-dir "$WORK/pesc" --target-org "$ORG" --wait 10 &&
  step "5/9 Assigning permission sets" &&
  sf org assign permset --name Teams_Bridge_Admin --target-org "$ORG" &&
  sf org assign permset --name Teams_Bridge_Integration --on-behalf-of "$INTEGRATION" --target-org "$ORG" &&
  sf org assign permset --name Teams_Bridge_Outbound --on-behalf-of "$EVENT_USER" --target-org "$ORG" &&
  for rep in $(tr ',' ' ' <<<"${TEAMS_BRIDGE_REP_USERS:-}"); do
    username_ok "$rep" || fail "not a username in TEAMS_BRIDGE_REP_USERS: $rep"
    sf org assign permset --name Teams_Bridge_User --on-behalf-of "$rep" --target-org "$ORG" || exit 1
  done &&
  step "6/9 Pointing the Named Credential Teams_Bridge_Service at $URL" &&
  sed "s#$PLACEHOLDER_URL#$URL#" force-app/main/default/namedCredentials/Teams_Bridge_Service.namedCredential-meta.xml |
  mdapi_dir "$WORK/nc" NamedCredential Teams_Bridge_Service namedCredentials/Teams_Bridge_Service.namedCredential &&
  grep -q "$URL" "$WORK/nc/namedCredentials/Teams_Bridge_Service.namedCredential" &&
  sf project deploy start --metadata-dir "$WORK/nc" --target-org "$ORG" --wait 10 &&
  step "7/9 Outbound posting" &&
  PAUSED="$(sf data query --query 'SELECT Outbound_Paused__c FROM Teams_Bridge_Runtime__c' --target-org "$ORG" --json | json_field result.records.0.Outbound_Paused__c || echo false)" &&
  if [ "$PAUSED" = "true" ] && [ "${TEAMS_BRIDGE_CONFIRM_ENDPOINT:-}" = "yes" ]; then
    sf apex run --target-org "$ORG" <<<'TeamsBridgeRuntime.setOutboundPaused(false, null);' >/dev/null &&
      echo "resumed: this org posts through $URL"
  elif [ "$PAUSED" = "true" ]; then
    echo "PAUSED (a fresh sandbox): cards are kept as Teams Outbound Failures. Once $URL is this sandbox's own"
    echo "service and it trusts $CERT_FILE, run again with TEAMS_BRIDGE_CONFIRM_ENDPOINT=yes (or resume on the admin tab)."
  else
    echo "active"
  fi &&
  step "8/9 Lead conversion cards" &&
  echo "LeadConverted cards need Lead triggers to run on conversion: in Setup > Lead Settings, turn on" &&
  echo "'Require Validation for Converted Leads' (older orgs: 'Enable Validation and Triggers from Lead Convert')." &&
  echo "It also makes your own Lead validation rules and triggers run on conversion (docs/install.md)." &&
  step "9/9 The service" &&
  echo "Give the service the certificate: TEAMS_BRIDGE_JWT_CERTIFICATE=\"\$(cat $CERT_FILE)\" (public, not a secret)," &&
  echo "and let it log in as $INTEGRATION (its connected app, see callout-service/README.md)." &&
  echo &&
  echo "Teams Bridge is installed. Activate the 'Teams Opportunity Record Page' in Lightning App Builder" &&
  echo "(sf org open --target-org $ORG --path lightning/setup/FlexiPageList/home), then check Service Health on the Teams Bridge tab."
