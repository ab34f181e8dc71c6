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
  assert.equal(messageText('<p>Q&amp;A caf&eacute; &#8364;5 a &lt; b</p>', 'html'), 'Q&A café €5 a < b');
});

test('code blocks keep their lines', () => {
  const text = messageText('<p>run:</p><pre><code>line one\nline two</code></pre>', 'html');
  assert.match(text, /line one\nline two/);
});

test('entities that decode to markup leave no markup behind', () => {
  const text = messageText(
    '<p>discount &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;ok</p>',
    'html',
  );
  assert.equal(text, 'discount  ok');
});

test('plain text bodies are kept as text, without markup or control characters', () => {
  assert.equal(messageText('  plain  words \u0000here  ', 'text'), 'plain  words here');
  assert.equal(
    messageText('<b>bold</b> <script>alert(1)</script>deal<!-- x --><scr<b>ipt>', 'text'),
    'bold deal',
  );
  assert.equal(messageText(null, 'html'), '');
});
