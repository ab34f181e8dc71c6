/** The data a Graph stand-in starts with. Every part can be replaced through `startGraphEmulator({ seed })`. */

export interface SeedUser {
  id: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  userPrincipalName: string;
  mail?: string;
  jobTitle?: string;
  /** Only users with a password can sign in (resource-owner password grant, device-code approval). */
  password?: string;
}

export interface SeedTeamsApp {
  /** Teams app catalog id. */
  id: string;
  displayName: string;
  /** Activity types declared in the manifest's `activities.activityTypes`. */
  activityTypes: string[];
  /** Teams the app is installed in, or 'all'. */
  installedInTeams: string[] | 'all';
  /** Users who have the app installed personally, or 'all'. */
  installedForUsers: string[] | 'all';
}

export interface SeedApp {
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Application permissions an admin consented to: they become the token's `roles`. */
  applicationPermissions: string[];
  /** Delegated permissions consented for the tenant: they become the token's `scp`. */
  delegatedPermissions: string[];
  /** Allow public-client flows (device code, password) without the client secret. */
  allowPublicClient: boolean;
  /** The Teams app whose manifest names this app registration in `webApplicationInfo`. */
  teamsApp?: SeedTeamsApp;
  /**
   * The Teams application access policy naming this app (New-CsApplicationAccessPolicy), granted to every
   * user (`Grant-CsApplicationAccessPolicy -Global`) or to these user ids. Without it, app-only calls to
   * online meetings and their transcripts answer 403 "No application access policy found for this app."
   */
  accessPolicy?: 'global' | string[];
}

export interface SeedMessage {
  id?: string;
  from: string; // user id or UPN
  content: string;
  contentType?: 'html' | 'text';
  subject?: string;
  createdDateTime?: string;
  replies?: SeedMessage[];
}

export interface SeedChannel {
  id: string;
  displayName: string;
  description?: string;
  membershipType?: 'standard' | 'private' | 'shared';
  messages?: SeedMessage[];
}

export interface SeedTeam {
  id: string;
  displayName: string;
  description?: string;
  /** User ids; every seeded user when absent. */
  members?: string[];
  channels: SeedChannel[];
}

export interface SeedTranscript {
  id: string;
  createdDateTime: string;
  /** When transcription started (default: the meeting start); a subscription must exist before it. */
  transcriptionStartedDateTime?: string;
  endDateTime?: string;
  /** WebVTT text. */
  content: string;
}

export interface SeedMeeting {
  id: string;
  organizerId: string;
  subject: string;
  startDateTime: string;
  endDateTime: string;
  joinWebUrl?: string;
  participants?: string[];
  /** Attendees from outside the tenant (federated or guest), by display name and email. */
  externalParticipants?: SeedExternalParticipant[];
  /** A channel meeting: its chat is the channel's thread. */
  channel?: { teamId: string; channelId: string };
  transcripts?: SeedTranscript[];
}

export interface SeedExternalParticipant {
  displayName: string;
  email: string;
  /** The attendee's home tenant (a federated user); absent for a guest. */
  tenantId?: string;
}

export interface GraphSeed {
  tenant: { id: string; displayName: string; domain: string };
  apps: SeedApp[];
  users: SeedUser[];
  teams: SeedTeam[];
  meetings: SeedMeeting[];
}

export const DEMO_PASSWORD = 'Sandbox-Passw0rd!';

export const TENANT_ID = '5f1c9a2e-8b47-4d6a-9e1f-3c2b7a8d4e60';
export const CLIENT_ID = '9d3e7b1a-2c4f-4e8b-a6d5-1f0e9c8b7a61';
export const CLIENT_SECRET = 'teams-bridge-local-secret-not-for-production';

export const APPLICATION_PERMISSIONS = [
  'ChannelMessage.Read.All',
  'Channel.ReadBasic.All',
  'Channel.Create',
  'Team.ReadBasic.All',
  'User.Read.All',
  'OnlineMeetings.Read.All',
  'OnlineMeetingTranscript.Read.All',
  'TeamsActivity.Send',
];

export const DELEGATED_PERMISSIONS = [
  'User.Read',
  'User.ReadBasic.All',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
  'Channel.Create',
  'ChannelMessage.Read.All',
  'ChannelMessage.Send',
  'ChannelMessage.ReadWrite',
  'offline_access',
  'openid',
  'profile',
];

const users: SeedUser[] = [
  {
    id: 'a1b2c3d4-0001-4a5b-8c9d-000000000001',
    displayName: 'Alex Wilber',
    givenName: 'Alex',
    surname: 'Wilber',
    userPrincipalName: 'alex@contoso.example',
    mail: 'alex@contoso.example',
    jobTitle: 'Account Executive',
    password: DEMO_PASSWORD,
  },
  {
    id: 'a1b2c3d4-0002-4a5b-8c9d-000000000002',
    displayName: 'Megan Bowen',
    givenName: 'Megan',
    surname: 'Bowen',
    userPrincipalName: 'megan@contoso.example',
    mail: 'megan@contoso.example',
    jobTitle: 'Sales Manager',
    password: DEMO_PASSWORD,
  },
  {
    id: 'a1b2c3d4-0003-4a5b-8c9d-000000000003',
    displayName: 'Lee Gu',
    givenName: 'Lee',
    surname: 'Gu',
    userPrincipalName: 'lee@contoso.example',
    mail: 'lee.gu@contoso.example',
    jobTitle: 'Deal Desk Analyst',
  },
  {
    id: 'a1b2c3d4-0004-4a5b-8c9d-000000000004',
    displayName: 'Teams Bridge Service',
    userPrincipalName: 'svc-teamsbridge@contoso.example',
    mail: 'svc-teamsbridge@contoso.example',
    jobTitle: 'Service account',
    password: DEMO_PASSWORD,
  },
];

const salesTeamId = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';

export function defaultSeed(): GraphSeed {
  return structuredClone({
    tenant: { id: TENANT_ID, displayName: 'Contoso (local)', domain: 'contoso.example' },
    apps: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        displayName: 'Teams Bridge for Salesforce',
        applicationPermissions: APPLICATION_PERMISSIONS,
        delegatedPermissions: DELEGATED_PERMISSIONS,
        allowPublicClient: true,
        accessPolicy: 'global',
        teamsApp: {
          id: 'e5d4c3b2-a190-4f8e-9d7c-6b5a4f3e2d1c',
          displayName: 'Teams Bridge',
          activityTypes: ['dealQualified', 'leadConverted', 'taskCreated'],
          installedInTeams: 'all',
          installedForUsers: 'all',
        },
      },
    ],
    users,
    teams: [
      {
        id: salesTeamId,
        displayName: 'Sales',
        description: 'Sales team',
        channels: [
          {
            id: '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2',
            displayName: 'Deal Desk',
            description: 'Pricing exceptions and approvals',
            messages: [
              {
                from: 'megan@contoso.example',
                content: '<p>Welcome to the Deal Desk channel.</p>',
                createdDateTime: '2026-01-05T09:00:00.000Z',
                replies: [
                  {
                    from: 'alex@contoso.example',
                    content: '<p>Thanks!</p>',
                    createdDateTime: '2026-01-05T09:05:00.000Z',
                  },
                ],
              },
            ],
          },
          {
            id: '19:pipeline1b2c3d4e5f60718293a4b5c6@thread.tacv2',
            displayName: 'Pipeline',
            description: 'Qualified deals and converted leads',
          },
        ],
      },
    ],
    meetings: [
      {
        id: 'MSphMWIyYzNkNC0wMDAxLTRhNWItOGM5ZC0wMDAwMDAwMDAwMDEqMCoqMTk6bWVldGluZ19ZMjl1ZEc5emIzSmxibVYzWVd3QHRocmVhZC52Mg==',
        organizerId: users[0]!.id,
        subject: 'Contoso renewal call',
        startDateTime: '2026-01-06T15:00:00.000Z',
        endDateTime: '2026-01-06T15:30:00.000Z',
        participants: [users[1]!.id, users[2]!.id],
        externalParticipants: [
          {
            displayName: 'Priya Raman',
            email: 'priya.raman@fabrikam.example',
            tenantId: '0c7e2d14-9a3b-4f5e-8d61-2b4a6c8e0f13',
          },
        ],
        transcripts: [
          {
            id: 'MSMjMCMjZDAwYWU3NjUtNmM2Yi00NjQxLTgwMWQtMTkzMmFmMjEzNzdh',
            createdDateTime: '2026-01-06T15:31:00.000Z',
            endDateTime: '2026-01-06T15:30:00.000Z',
            content: [
              'WEBVTT',
              '',
              '00:00:01.000 --> 00:00:05.000',
              '<v Alex Wilber>Thanks for joining. Let us go through the renewal.</v>',
              '',
              '00:00:06.000 --> 00:00:12.000',
              '<v Megan Bowen>Action item: Alex will send the redlined MSA by Friday.</v>',
              '',
              '00:00:13.000 --> 00:00:19.000',
              '<v Priya Raman>Thanks. I will confirm the seat count with procurement next week.</v>',
              '',
            ].join('\n'),
          },
        ],
      },
    ],
  } satisfies GraphSeed);
}
