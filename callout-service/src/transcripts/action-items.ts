/**
 * The shipped action-item extractor: rules over one speaker turn at a time. A commitment is a first-person
 * future with an action verb ("I'll send", "we will", "let me get back to you", "action item for me"), a
 * named attendee's future ("Megan will send"), or a request put to a named attendee ("Priya, can you send ...
 * by Friday?"). Questions that only ask, past actions, conditionals, refusals and statements about people
 * outside the meeting are left out.
 */
import { resolveDue } from './due-date.ts';
import type { IsoDay } from './due-date.ts';
import { mergeNearIdentical } from './merge.ts';
import type { SpeakerTurn } from './webvtt.ts';

export interface ActionItem {
  /** Who said it (the voice span's name). */
  speaker: string;
  /** The commitment as said, without fillers. */
  text: string;
  /** "speaker" when the speaker committed; otherwise the attendee's full name the item is put on. */
  owner: string;
  due: IsoDay | null;
  /** Milliseconds from the start of the meeting at which the turn began. */
  atMs: number;
}

export interface ExtractionInput {
  turns: readonly SpeakerTurn[];
  /** The meeting's calendar day in the organiser's time zone. */
  meetingDate: IsoDay;
  /** Display names of everyone in the meeting (speakers are added automatically). */
  attendees?: readonly string[];
}

const VERBS = [
  'add',
  'adjust',
  'approve',
  'arrange',
  'ask',
  'book',
  'brief',
  'build',
  'call',
  'chase',
  'check',
  'circle',
  'circulate',
  'clarify',
  'compile',
  'complete',
  'configure',
  'confirm',
  'connect',
  'coordinate',
  'create',
  'deliver',
  'demo',
  'deploy',
  'dig',
  'document',
  'double-check',
  'draft',
  'email',
  'enable',
  'escalate',
  'estimate',
  'extend',
  'figure',
  'file',
  'finalise',
  'finalize',
  'find',
  'finish',
  'fix',
  'follow',
  'forward',
  'get',
  'give',
  'grant',
  'handle',
  'install',
  'introduce',
  'investigate',
  'invite',
  'invoice',
  'kick',
  'let',
  'look',
  'loop',
  'mail',
  'make',
  'migrate',
  'notify',
  'open',
  'order',
  'organise',
  'organize',
  'outline',
  'pay',
  'ping',
  'plan',
  'prepare',
  'present',
  'provide',
  'provision',
  'pull',
  'push',
  'put',
  'quote',
  'raise',
  'reach',
  'reconcile',
  'remind',
  'reply',
  'research',
  'resend',
  'respond',
  'return',
  'review',
  'revise',
  'run',
  'schedule',
  'scope',
  'send',
  'set',
  'share',
  'ship',
  'sign',
  'start',
  'submit',
  'summarise',
  'summarize',
  'sync',
  'take',
  'talk',
  'test',
  'update',
  'upload',
  'validate',
  'verify',
  'walk',
  'write',
];
const VERB = `(?:${VERBS.join('|')})`;
/** "have X ready / back / over / to you": a commitment without an action verb. */
const HAVE_DELIVERABLE = /\bhave\b.{1,80}?\b(?:ready|back|done|over|finished|sent|signed|to you|in place)\b/i;
const ADVERBS = '(?:(?:also|just|then|quickly|definitely|personally|certainly|first|still|now|please)\\s+)*';
const FIRST_PERSON = new RegExp(
  `\\b(?:i(?:'|’)ll|i will|i(?:'|’)m going to|i am going to|i(?:'|’)m gonna|i can|let me|we(?:'|’)ll|we will|we(?:'|’)re going to|we are going to|we(?:'|’)re gonna|we can)\\s+${ADVERBS}(${VERB}|have)\\b`,
  'i',
);
const FILLERS =
  /^(?:(?:okay|ok|so|um+|uh+|erm|well|sure|yes|yeah|yep|good|great|perfect|right|alright|all right|and|also|then|i mean|ich meine|thanks|thank you)\s*[,.!]?\s+)+/i;
/** A conditional clause makes the commitment hypothetical, except "check/see/ask if" (= whether). */
const CONDITIONAL =
  /(?:^|[\s,])(?:if|unless|assuming|supposing|suppose|provided that|in case|in theory)\b(?<!\b(?:check|see|ask|know|find out|confirm|verify|whether) if)/i;
const CONDITIONAL_START = /^(?:should|were|had)\s/i;

const letterBefore = "(?<![\\p{L}\\p{M}'’])";
const letterAfter = '(?![\\p{L}\\p{M}])';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Aliases (full name, and each name part no other attendee shares) -> full display name. */
function aliasTable(names: readonly string[]): Map<string, string> {
  const table = new Map<string, string>();
  const parts = new Map<string, Set<string>>();
  for (const name of names) {
    table.set(name.toLowerCase(), name);
    for (const part of name.split(/\s+/)) {
      if (part.length < 2) continue;
      const key = part.toLowerCase();
      if (!parts.has(key)) parts.set(key, new Set());
      parts.get(key)!.add(name);
    }
  }
  for (const [part, owners] of parts)
    if (owners.size === 1 && !table.has(part)) table.set(part, [...owners][0]!);
  return table;
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=\S)/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One sentence may hold two commitments: "..., and I'll send the redlines tomorrow". */
function clauses(sentence: string): string[] {
  return sentence
    .split(/\s*;\s*|,?\s+(?:and|but)\s+(?=(?:i|we|let me|i(?:'|’)ll|we(?:'|’)ll)\b)/i)
    .map((c) => c.trim())
    .filter(Boolean);
}

const stripFillers = (text: string) => text.replace(FILLERS, '').trim();
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export class RuleExtractor {
  /** Extracts the action items of a transcript's turns; near-identical items are merged. */
  extract(input: ExtractionInput): ActionItem[] {
    const speakers = input.turns.map((t) => t.speaker).filter((s): s is string => !!s);
    const names = [...new Set([...(input.attendees ?? []), ...speakers])];
    const aliases = aliasTable(names);
    const nameAlternation = [...aliases.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|');
    const namePattern = nameAlternation ? `${letterBefore}(${nameAlternation})${letterAfter}` : '(?!)';
    const patterns = {
      addressedFirst: new RegExp(
        `^${namePattern}\\s*,\\s*(?:(?:can|could|would|will) you\\s+${ADVERBS}|please\\s+)(${VERB})\\b`,
        'iu',
      ),
      addressedLast: new RegExp(
        `^(?:(?:can|could|would|will) you\\s+${ADVERBS}|please\\s+)(${VERB})\\b.*,\\s*${namePattern}\\s*[?.!]?$`,
        'iu',
      ),
      thirdPerson: new RegExp(
        `^${namePattern}(?:\\s+(?:will|is going to|can)|(?:'|’)ll)\\s+${ADVERBS}(${VERB})\\b`,
        'iu',
      ),
      actionItemFor: new RegExp(
        `\\baction item (?:for|on) (me|us|${nameAlternation || '(?!)'})${letterAfter}\\s*[:,.-]?\\s*(.*)$`,
        'iu',
      ),
    };
    const items: ActionItem[] = [];
    for (const turn of input.turns) {
      if (!turn.speaker) continue;
      const speaker = turn.speaker;
      const ownerOf = (alias: string) => {
        const name = aliases.get(alias.toLowerCase());
        return !name || name === speaker ? 'speaker' : name;
      };
      const add = (text: string, owner: string) =>
        items.push({
          speaker,
          text: capitalise(stripFillers(text)),
          owner,
          due: resolveDue(text, input.meetingDate),
          atMs: turn.startMs,
        });
      for (const sentence of sentences(turn.text)) {
        const assigned = patterns.actionItemFor.exec(sentence);
        if (assigned) {
          const who = assigned[1]!.toLowerCase();
          const rest = assigned[2]!.trim();
          add(rest.length > 3 ? rest : sentence, who === 'me' || who === 'us' ? 'speaker' : ownerOf(who));
          continue;
        }
        for (const raw of clauses(sentence)) {
          const clause = stripFillers(raw);
          if (CONDITIONAL.test(clause) || CONDITIONAL_START.test(clause)) continue;
          const toFirst = patterns.addressedFirst.exec(clause);
          const toLast = toFirst ? null : patterns.addressedLast.exec(clause);
          if (toFirst || toLast) {
            add(clause, ownerOf(toFirst ? toFirst[1]! : toLast![2]!));
            continue;
          }
          // Any other question asks rather than assigns.
          if (clause.endsWith('?')) continue;
          const third = patterns.thirdPerson.exec(clause);
          if (third) {
            add(clause, ownerOf(third[1]!));
            continue;
          }
          const first = FIRST_PERSON.exec(clause);
          if (first && (first[1]!.toLowerCase() !== 'have' || HAVE_DELIVERABLE.test(clause))) {
            add(clause, 'speaker');
          }
        }
      }
    }
    return mergeNearIdentical(items);
  }
}
