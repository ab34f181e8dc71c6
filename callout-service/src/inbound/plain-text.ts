/**
 * Every field the product writes (Task Subject and Description, mapping names) holds plain text only, whatever
 * the source: Teams text-type bodies, display names and entity-decoded HTML (`&lt;script&gt;` decodes to a
 * real `<script>`) can carry markup. Script and style elements go with their content, any other tag-like
 * sequence and comment goes, control characters other than tab and newline go (NUL included).
 */
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi;
const COMMENT = /<!--[\s\S]*?(-->|$)/g;
const TAG = /<\/?[a-zA-Z][a-zA-Z0-9:-]*(\s[^<>]*)?\/?>|<![a-zA-Z][^<>]*>|<\?[^<>]*>/g;
// C0 controls but tab and newline, DEL, C1 controls, and the Unicode replacement left where NUL was.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g;

export function plainText(text: string): string {
  let out = text;
  // Repeat: removing one tag can join the halves of another (`<scr<b>ipt>`).
  for (let i = 0; i < 5; i++) {
    const next = out.replace(SCRIPT_OR_STYLE, '').replace(COMMENT, '').replace(TAG, '');
    if (next === out) break;
    out = next;
  }
  return out.replace(CONTROL, '');
}

/** A one-line name (sender, channel) as plain text. */
export function plainName(name: string): string {
  return plainText(name).replace(/\s+/g, ' ').trim();
}
