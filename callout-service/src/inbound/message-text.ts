import { compile, type HtmlToTextOptions } from 'html-to-text';
import { plainText } from './plain-text.ts';

/**
 * Teams message HTML -> readable plain text. Nothing is executed and no markup survives: script, style and
 * other non-content elements are dropped; mentions (`<at>`) keep their display name; links become
 * `text (url)`; entities are decoded (and what decodes to markup is removed too); code blocks keep their lines.
 */
const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  preserveNewlines: false,
  decodeEntities: true,
  selectors: [
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'attachment', format: 'skip' },
    { selector: 'at', format: 'inline' },
    {
      selector: 'a',
      options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'], ignoreHref: false },
    },
    { selector: 'pre', format: 'pre' },
    { selector: 'code', format: 'inline' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

// Compiled once: `convert` would rebuild the selector tables for every message.
const toText = compile(OPTIONS);

export function messageText(content: string | null | undefined, contentType: string | undefined): string {
  if (!content) return '';
  // Text bodies may hold markup as typed; decoded entities may turn into markup: both end as plain text.
  const text = plainText(contentType?.toLowerCase() === 'text' ? content : toText(content));
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
