/**
 * The action-item extractor the pipeline uses: an LLM (Azure OpenAI chat completions) when one is
 * configured, else the shipped rules. The rules stay the fallback when the LLM call fails or answers
 * something malformed, and the judge of each item it proposes: an item must quote its turn, name a known
 * owner and a real day, or it is replaced by what the rules found in that turn.
 */
import { z } from 'zod';
import { RuleExtractor } from './action-items.ts';
import type { ActionItem, ExtractionInput } from './action-items.ts';
import type { AzureOpenAiChat } from './azure-openai.ts';
import { isIsoDay } from './due-date.ts';
import { mergeNearIdentical, similarity } from './merge.ts';

export interface ExtractionResult {
  items: ActionItem[];
  /** Which extractor produced the items. */
  source: 'rules' | 'llm';
  /** Why the rules were used in place of the LLM, or which proposals they overruled. */
  notes: string[];
}

export interface ActionItemExtractor {
  extract(input: ExtractionInput): Promise<ExtractionResult>;
}

export class ShippedExtractor implements ActionItemExtractor {
  private readonly rules = new RuleExtractor();
  async extract(input: ExtractionInput): Promise<ExtractionResult> {
    return { items: this.rules.extract(input), source: 'rules', notes: [] };
  }
}

const answerSchema = z.object({
  items: z.array(
    z.object({
      turn: z.number().int().nonnegative(),
      text: z.string().min(1).max(1000),
      owner: z.string().min(1).max(200),
      due: z.string().nullable(),
    }),
  ),
});

/** Turns per request, so a two-hour meeting stays well inside a model's context window. */
const TURNS_PER_REQUEST = 150;

const SYSTEM_PROMPT = [
  'You extract action items from a meeting transcript.',
  'An action item is a commitment made by a speaker ("I will send", "we will", "let me get back to you",',
  '"action item for me") or a request put to a named attendee ("Priya, can you send ... by Friday?").',
  'Not action items: past actions, hypotheticals and conditionals, questions that only ask, refusals, and',
  'statements about people who are not in the meeting.',
  'Answer with JSON only: {"items":[{"turn":<turn number>,"text":"<the commitment, quoted from the turn>",',
  '"owner":"speaker" or the full name of the attendee the item is put on,"due":"YYYY-MM-DD" or null}]}.',
  'Resolve due dates against the meeting date: "by Friday" is the next Friday after it, "next week" is the',
  'Friday of the following week, "end of quarter" the last day of the calendar quarter.',
].join(' ');

export class LlmExtractor implements ActionItemExtractor {
  private readonly rules = new RuleExtractor();

  constructor(private readonly chat: AzureOpenAiChat) {}

  async extract(input: ExtractionInput): Promise<ExtractionResult> {
    const notes: string[] = [];
    const items: ActionItem[] = [];
    const attendees = [
      ...new Set([...(input.attendees ?? []), ...input.turns.map((t) => t.speaker).filter((s) => !!s)]),
    ] as string[];
    for (let from = 0; from < input.turns.length; from += TURNS_PER_REQUEST) {
      const turns = input.turns.slice(from, from + TURNS_PER_REQUEST);
      const part = { ...input, turns };
      const ruled = this.rules.extract(part);
      let proposals: z.infer<typeof answerSchema>['items'];
      try {
        const content = await this.chat.complete([
          { role: 'system', content: SYSTEM_PROMPT },
          {
            role: 'user',
            content: JSON.stringify({
              meetingDate: input.meetingDate,
              attendees,
              turns: turns.map((t, i) => ({ turn: i, speaker: t.speaker, text: t.text })),
            }),
          },
        ]);
        const parsed = answerSchema.safeParse(JSON.parse(content));
        if (!parsed.success)
          throw new Error(`answer does not match the schema: ${parsed.error.issues[0]?.message}`);
        proposals = parsed.data.items;
      } catch (err) {
        notes.push(
          `turns ${from}-${from + turns.length - 1}: LLM not used (${(err as Error).message}); rules used`,
        );
        items.push(...ruled);
        continue;
      }
      const judged = new Set<number>();
      for (const p of proposals) {
        const turn = turns[p.turn];
        const problem = !turn?.speaker
          ? `turn ${p.turn} does not exist or names no speaker`
          : !quotes(turn.text, p.text)
            ? `"${p.text.slice(0, 60)}" is not said in turn ${p.turn}`
            : p.owner !== 'speaker' && !attendees.includes(p.owner)
              ? `owner "${p.owner}" is not an attendee`
              : p.due !== null && !isIsoDay(p.due)
                ? `due "${p.due}" is not a calendar day`
                : undefined;
        if (problem) {
          notes.push(`proposal overruled: ${problem}`);
          judged.add(p.turn);
          continue;
        }
        items.push({
          speaker: turn!.speaker!,
          text: p.text,
          owner: p.owner === turn!.speaker ? 'speaker' : p.owner,
          due: p.due,
          atMs: turn!.startMs,
        });
      }
      // Where a proposal was overruled, the rules' reading of that turn stands.
      const atOf = new Set([...judged].map((i) => turns[i]?.startMs));
      items.push(...ruled.filter((r) => atOf.has(r.atMs)));
    }
    return { items: mergeNearIdentical(items), source: 'llm', notes };
  }
}

/** The proposed text is said in the turn: contained in it, or close in wording to one of its sentences. */
function quotes(turnText: string, proposed: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  if (norm(turnText).includes(norm(proposed))) return true;
  return turnText.split(/(?<=[.!?])\s+/).some((sentence) => similarity(sentence, proposed) >= 0.6);
}

export function createExtractor(chat: AzureOpenAiChat | undefined): ActionItemExtractor {
  return chat ? new LlmExtractor(chat) : new ShippedExtractor();
}
