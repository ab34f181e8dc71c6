import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ValidationTokenVerifier,
  clientStateMatches,
  decryptNotificationContent,
  parseChannelMessageResource,
  DecryptionError,
} from '../../src/graph/notifications.ts';
import { encryptLikeGraph, encryptionKeyPair, tokenIssuer } from '../helpers/rich-notification.ts';

test('clientState must equal the subscription secret exactly', () => {
  assert.equal(clientStateMatches('s3cret-value', 's3cret-value'), true);
  assert.equal(clientStateMatches('s3cret-valuE', 's3cret-value'), false);
  assert.equal(clientStateMatches('s3cret', 's3cret-value'), false);
  assert.equal(clientStateMatches('', 's3cret-value'), false);
  assert.equal(clientStateMatches(undefined, 's3cret-value'), false);
  assert.equal(clientStateMatches(null, 's3cret-value'), false);
});

test('channel message resources in OData and path form', () => {
  assert.deepEqual(
    parseChannelMessageResource("teams('t-1')/channels('19:abc@thread.tacv2')/messages('1700')"),
    {
      teamId: 't-1',
      channelId: '19:abc@thread.tacv2',
      messageId: '1700',
      replyToId: null,
    },
  );
  assert.deepEqual(
    parseChannelMessageResource(
      "teams('t-1')/channels('19:abc@thread.tacv2')/messages('1700')/replies('1701')",
    ),
    { teamId: 't-1', channelId: '19:abc@thread.tacv2', messageId: '1701', replyToId: '1700' },
  );
  assert.deepEqual(parseChannelMessageResource('/teams/t-1/channels/19%3Aabc%40thread.tacv2/messages/1700'), {
    teamId: 't-1',
    channelId: '19:abc@thread.tacv2',
    messageId: '1700',
    replyToId: null,
  });
  assert.equal(parseChannelMessageResource("chats('x')/messages('1')"), undefined);
});

test('rich notification content decrypts after the signature check', () => {
  const keys = encryptionKeyPair();
  const message = { id: '1700', body: { contentType: 'html', content: '<p>discount</p>' } };
  const content = encryptLikeGraph(message, keys.publicKeyPem);
  assert.deepEqual(decryptNotificationContent(content, keys.privateKeyPem), message);
});

test('tampered data or the wrong key is refused', () => {
  const keys = encryptionKeyPair();
  const content = encryptLikeGraph({ id: '1' }, keys.publicKeyPem);
  const tampered = Buffer.from(content.data, 'base64');
  tampered[0] = tampered[0]! ^ 0xff;
  assert.throws(
    () => decryptNotificationContent({ ...content, data: tampered.toString('base64') }, keys.privateKeyPem),
    (err: unknown) => err instanceof DecryptionError && /dataSignature/.test(err.message),
  );
  assert.throws(
    () => decryptNotificationContent(content, encryptionKeyPair().privateKeyPem),
    (err: unknown) => err instanceof DecryptionError && /dataKey/.test(err.message),
  );
});

test('validation tokens: signature, issuer and audience are all checked', async () => {
  const issuer = await tokenIssuer();
  const other = await tokenIssuer();
  const iss = 'https://sts.windows.net/tenant-1/';
  const verifier = new ValidationTokenVerifier('https://unused.example/keys', iss, 'app-1', issuer.jwks);
  await verifier.verifyAll([await issuer.sign({ iss, aud: 'app-1' })]);
  await assert.rejects(verifier.verifyAll([await issuer.sign({ iss, aud: 'another-app' })]), /aud/);
  await assert.rejects(
    verifier.verifyAll([await issuer.sign({ iss: 'https://evil/', aud: 'app-1' })]),
    /iss/,
  );
  await assert.rejects(
    verifier.verifyAll([await other.sign({ iss, aud: 'app-1' })]),
    /validation token rejected/,
  );
  await assert.rejects(
    verifier.verifyAll([await issuer.sign({ iss, aud: 'app-1', expiresIn: '-1m' })]),
    /exp/,
  );
  await assert.rejects(verifier.verifyAll([]), /without validationTokens/);
  // One bad token among good ones fails the batch.
  await assert.rejects(
    verifier.verifyAll([await issuer.sign({ iss, aud: 'app-1' }), await other.sign({ iss, aud: 'app-1' })]),
  );
});
