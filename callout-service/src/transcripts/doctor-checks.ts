/**
 * Doctor checks for meeting transcripts: the application permission OnlineMeetingTranscript.Read.All (in the
 * token's roles: subscribing to getAllTranscripts cannot be tried without creating one), and the Teams
 * application access policy, tried with a harmless online-meeting lookup that Graph refuses with
 * 403 "No application access policy found for this app." when no policy covers the user.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config.ts';
import { graphStatus } from '../graph/client.ts';
import type { CheckOutcome } from '../ops/doctor.ts';
import { isAccessPolicyError } from './meeting.ts';

const PERMISSION = 'OnlineMeetingTranscript.Read.All';
const PROBE_URL = 'https://teams.microsoft.com/l/meetup-join/teams-bridge-doctor-probe';

export async function transcriptChecks(
  client: Client,
  config: Config,
  roles: string[],
): Promise<CheckOutcome[]> {
  if (!config.transcripts.enabled) return [];
  const results: CheckOutcome[] = [];
  results.push(
    roles.includes(PERMISSION)
      ? {
          name: `Graph permission ${PERMISSION}`,
          ok: true,
          detail: 'in the token: transcripts can be subscribed to and read',
        }
      : {
          name: `Graph permission ${PERMISSION}`,
          ok: false,
          detail: `not in the token's roles (${roles.join(', ') || 'none'})`,
          fix: `Grant admin consent for ${PERMISSION} (Application): Entra admin center > App registrations > ${config.graph.clientId} > API permissions > add ${PERMISSION} > "Grant admin consent". Needed to subscribe to communications/onlineMeetings/getAllTranscripts and read transcripts.`,
        },
  );
  const policyFix =
    `Create and grant the Teams application access policy for app ${config.graph.clientId} (Teams PowerShell): ` +
    `New-CsApplicationAccessPolicy -Identity TeamsBridge -AppIds "${config.graph.clientId}", then ` +
    'Grant-CsApplicationAccessPolicy -PolicyName TeamsBridge -Global (or -Identity <organiser> / -Group <group> ' +
    'for the sales team only). It can take up to 30 minutes to apply.';
  try {
    const users = (await client.api('/users').top(1).select('id').get()) as { value: { id: string }[] };
    const user = users.value[0]?.id;
    if (!user) {
      results.push({
        name: 'Application access policy',
        ok: false,
        detail: 'no user to try it for',
        fix: policyFix,
      });
      return results;
    }
    await client
      .api(`/users/${encodeURIComponent(user)}/onlineMeetings`)
      .filter(`JoinWebUrl eq '${PROBE_URL}'`)
      .get();
    results.push({
      name: 'Application access policy',
      ok: true,
      detail: `app-only online-meeting reads allowed (tried as user ${user})`,
    });
  } catch (err) {
    const status = graphStatus(err);
    if (isAccessPolicyError(err)) {
      results.push({
        name: 'Application access policy',
        ok: false,
        detail: `403 ${(err as Error).message}`,
        fix: policyFix,
      });
    } else if (status === 404 || status === 400) {
      // The probe meeting does not exist: Graph got past the policy check.
      results.push({
        name: 'Application access policy',
        ok: true,
        detail: `lookup answered ${status}: past the policy check`,
      });
    } else {
      results.push({
        name: 'Application access policy',
        ok: false,
        detail: `${status ?? ''} ${(err as Error).message}`.trim(),
        fix:
          status === 403
            ? `Grant admin consent for OnlineMeetings.Read.All (Application), then: ${policyFix}`
            : policyFix,
      });
    }
  }
  return results;
}
