/**
 * WebVTT parser for Teams meeting transcripts (W3C WebVTT: file header, NOTE / STYLE / REGION blocks,
 * cue identifiers, cue timings with settings, cue payload with voice spans `<v Name>`).
 * Hand-written because the registry's parsers either drop the voice span that names the speaker or need a
 * browser `VTTCue`; the format is small enough to follow the spec's parsing rules directly.
 */

export interface Cue {
  id: string | undefined;
  /** Milliseconds from the start of the meeting. */
  startMs: number;
  endMs: number;
  /** Cue settings as written (`align:start position:10%`), parsed into name -> value. */
  settings: Record<string, string>;
  /** The voice span's annotation (`<v Megan Bowen>`), or null when the cue names no speaker. */
  speaker: string | null;
  text: string;
}

export interface ParsedWebVtt {
  cues: Cue[];
  /** Cues dropped because their timing line was malformed, with the line number and why. */
  warnings: string[];
}

export class WebVttError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebVttError';
  }
}

const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: ' ',
  lrm: '\u200e',
  rlm: '\u200f',
  quot: '"',
  apos: "'",
};

/** `01:02:03.456` or `02:03.456` -> milliseconds; undefined when it is not a WebVTT timestamp. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
}

/** Milliseconds -> `hh:mm:ss` (hours always shown), for quoting a moment of the meeting. */
export function formatOffset(ms: number): string {
  const total = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Splits a cue payload into voice segments: `<v A>x</v><v B>y` -> [{A, x}, {B, y}]; other tags dropped. */
function voiceSegments(payload: string): Array<{ speaker: string | null; text: string }> {
  const segments: Array<{ speaker: string | null; text: string }> = [];
  let speaker: string | null = null;
  let text = '';
  const flush = () => {
    const clean = decodeEntities(text).replace(/\s+/g, ' ').trim();
    if (clean) segments.push({ speaker, text: clean });
    text = '';
  };
  for (const part of payload.split(/(<[^>]*>)/)) {
    if (!part.startsWith('<') || !part.endsWith('>')) {
      text += part;
      continue;
    }
    const voice = /^<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>$/.exec(part);
    if (voice) {
      flush();
      speaker = decodeEntities(voice[1] ?? '').trim() || null;
    } else if (part === '</v>') {
      flush();
    }
    // <c>, <i>, <b>, <u>, <lang>, <ruby>, <rt> and inline timestamps carry no words of their own.
  }
  flush();
  return segments;
}

function parseSettings(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const token of text.split(/[ \t]+/)) {
    const at = token.indexOf(':');
    if (at > 0 && at < token.length - 1) settings[token.slice(0, at)] = token.slice(at + 1);
  }
  return settings;
}

/**
 * Parses a WebVTT document. Throws WebVttError when it is not WebVTT at all (no `WEBVTT` signature); cues
 * whose timing line is malformed are dropped and reported in `warnings`, as the spec has user agents do.
 */
export function parseWebVtt(input: string): ParsedWebVtt {
  // The spec replaces NUL with U+FFFD and accepts CRLF, LF and CR line ends.
  const text = input.replace(/^\ufeff/, '').replace(/\0/g, '\ufffd');
  const lines = text.split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:$|[ \t])/.test(lines[0] ?? '')) {
    throw new WebVttError(
      'Not a WebVTT document: the first line must be "WEBVTT" (Graph serves it with $format=text/vtt).',
    );
  }
  const cues: Cue[] = [];
  const warnings: string[] = [];
  let i = 1;
  // The header runs to the first blank line.
  while (i < lines.length && lines[i] !== '') i++;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    const first = block[0]!;
    if (/^(NOTE|STYLE|REGION)(?:$|[ \t])/.test(first) && !first.includes('-->')) continue;
    const timingAt = first.includes('-->') ? 0 : 1;
    const timing = block[timingAt];
    if (timing === undefined || !timing.includes('-->')) {
      warnings.push(`line ${blockStart + 1}: block without a cue timing line ("start --> end") skipped`);
      continue;
    }
    const m = /^\s*(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(timing);
    const startMs = m ? parseTimestamp(m[1]!) : undefined;
    const endMs = m ? parseTimestamp(m[2]!) : undefined;
    if (startMs === undefined || endMs === undefined) {
      warnings.push(
        `line ${blockStart + timingAt + 1}: malformed cue timing "${timing.slice(0, 80)}" (expected hh:mm:ss.ttt --> hh:mm:ss.ttt); cue skipped`,
      );
      continue;
    }
    const id = timingAt === 1 ? first : undefined;
    const settings = parseSettings(m![3] ?? '');
    // A cue whose voice span opens on its first line keeps that speaker on its continuation lines.
    for (const segment of voiceSegments(block.slice(timingAt + 1).join('\n'))) {
      cues.push({ id, startMs, endMs, settings, speaker: segment.speaker, text: segment.text });
    }
  }
  return { cues, warnings };
}

export interface SpeakerTurn {
  speaker: string | null;
  startMs: number;
  endMs: number;
  text: string;
}

/** Joins a speaker's consecutive cues into one turn (Teams cuts one sentence over several cues). */
export function speakerTurns(cues: readonly Cue[]): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const cue of cues) {
    const last = turns.at(-1);
    if (last && last.speaker === cue.speaker) {
      last.text = `${last.text} ${cue.text}`;
      last.endMs = Math.max(last.endMs, cue.endMs);
    } else {
      turns.push({ speaker: cue.speaker, startMs: cue.startMs, endMs: cue.endMs, text: cue.text });
    }
  }
  return turns;
}
