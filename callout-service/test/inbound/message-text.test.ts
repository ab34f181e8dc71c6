import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageText } from '../../src/inbound/message-text.ts';

test('script and style are dropped, no markup survives', () => {
  const text = messageText(
    '<div>Hello<script>alert("x")</script><style>.a{color:red}</style> <b>team</b><img src=x onerror=alert(1)></div>',
    'html',
  );
  assert.equal(text, 'Hello team');
  assert.doesNotMatch(text, /[<>]/);
  assert.doesNotMatch(text, /alert|color/);
});

test('mentions keep the display name', () => {
  const text = messageText('<p><at id="0">Megan Bowen</at> can you check the discount?</p>', 'html');
  assert.equal(text, 'Megan Bowen can you check the discount?');
});

test('links show their text and target', () => {
  const text = messageText('<p>See <a href="https://example.com/q">the quote</a></p>', 'html');
  assert.equal(text, 'See the quote (https://example.com/q)');
});

test('entities are decoded', () => {
  assert.equal(messageText('<p>Q&amp;A &lt;tag&gt; caf&eacute; &#8364;5</p>', 'html'), 'Q&A <tag> café €5');
});

test('code blocks keep their lines', () => {
  const text = messageText('<p>run:</p><pre><code>line one\nline two</code></pre>', 'html');
  assert.match(text, /line one\nline two/);
});

test('plain text bodies are kept as they are', () => {
  assert.equal(messageText('  <b>not html</b>  ', 'text'), '<b>not html</b>');
  assert.equal(messageText(null, 'html'), '');
});
