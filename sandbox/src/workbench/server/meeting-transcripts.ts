/**
 * The meetings the simulation panel can run: each a Teams meeting organised by the mapped demo user, with a
 * WebVTT transcript naming its speakers in `<v Speaker>` voice spans, one cue per turn. One has clear action
 * items and a participant from the demo Account's domain, one has no action item, one has a participant whose
 * domain no Account knows (it lands in the admin's unassigned list).
 */

export interface TranscriptParticipant {
  displayName: string;
  email: string;
  /** The participant's home tenant (a federated user); absent for a guest. */
  tenantId?: string;
}

export interface MeetingScript {
  key: string;
  subject: string;
  /** What the panel says the meeting is about and what should become of it. */
  summary: string;
  /** Outside the organiser's tenant. */
  external: TranscriptParticipant[];
  /** Spoken turns in order: [speaker, words]. */
  turns: Array<[speaker: string, words: string]>;
}

/** Who the scripts' roles are: the demo tenant's people and the demo Account's contact. */
export interface MeetingCast {
  organizer: string;
  colleague: string;
  customer: TranscriptParticipant;
  prospect: TranscriptParticipant;
}

export function meetingScripts(cast: MeetingCast): MeetingScript[] {
  const { organizer, colleague, customer, prospect } = cast;
  const first = (name: string) => name.split(' ')[0]!;
  return [
    {
      key: 'pricing-review',
      subject: 'Contoso renewal: pricing review',
      summary: `${organizer}, ${colleague} and ${customer.displayName} (${customer.email}); three commitments.`,
      external: [customer],
      turns: [
        [
          organizer,
          `Thanks for making the time, ${first(customer.displayName)}. Today is about the renewal pricing.`,
        ],
        [
          customer.displayName,
          'Sure. Procurement wants the quote to cover the 250 extra seats we talked about.',
        ],
        [organizer, "That makes sense. I'll send the revised quote by Friday."],
        [colleague, 'And I will schedule the security review with your IT team for next Tuesday.'],
        [
          organizer,
          `${first(customer.displayName)}, can you confirm the final seat count with procurement by next week?`,
        ],
        [customer.displayName, 'Yes, that works for us.'],
      ],
    },
    {
      key: 'status-check-in',
      subject: 'Contoso renewal: rollout check-in',
      summary: `${organizer}, ${colleague} and ${customer.displayName}; a status update without any action item.`,
      external: [customer],
      turns: [
        [organizer, `Quick check-in on the rollout, ${first(customer.displayName)}. How did the pilot go?`],
        [customer.displayName, 'It went well. The team moved all twelve channels over last week.'],
        [colleague, 'Good to hear. We signed off the data processing agreement in January.'],
        [customer.displayName, 'Nothing open on our side for now.'],
        [organizer, 'Great, thanks everyone.'],
      ],
    },
    {
      key: 'unknown-prospect',
      subject: 'Northwind Traders: discovery call',
      summary: `${organizer}, ${colleague} and ${prospect.displayName} (${prospect.email}), whose domain no Account has.`,
      external: [prospect],
      turns: [
        [organizer, `Welcome, ${first(prospect.displayName)}. Tell us about your support team.`],
        [
          prospect.displayName,
          'We have about forty agents and want Teams conversations logged in Salesforce.',
        ],
        [organizer, "I'll share the case study and a pricing sheet by Thursday."],
      ],
    },
  ];
}

const stamp = (ms: number) => {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
};
const escapeCue = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The script as WebVTT: a NOTE with the subject, then one timed voice cue per turn. */
export function toWebVtt(script: MeetingScript): string {
  const lines = ['WEBVTT', '', `NOTE ${script.subject}`, ''];
  let at = 4_000;
  for (const [speaker, words] of script.turns) {
    const length = 2_000 + words.length * 60;
    lines.push(`${stamp(at)} --> ${stamp(at + length)}`, `<v ${speaker}>${escapeCue(words)}</v>`, '');
    at += length + 500;
  }
  return lines.join('\n');
}
