import { randomBytes } from 'node:crypto';
import t from 'tap';
import { hashPassword, verifyPassword } from '../../harness/service/passwords.js';
import { createSecretBox } from '../../harness/service/secret-box.js';
import { sha256Hex } from '../../harness/service/tokens.js';

t.test('sealed values open only with the same key and for the same purpose', async (t) => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.seal('client-secret-value', 'supplier-auth:a');
  t.notMatch(sealed, 'client-secret-value', 'the sealed form does not hold the value');
  t.not(box.seal('client-secret-value', 'supplier-auth:a'), sealed, 'a fresh nonce each time');
  t.equal(box.open(sealed, 'supplier-auth:a'), 'client-secret-value');
  t.throws(() => box.open(sealed, 'supplier-auth:b'), { code: 'SECRET_KEY_INVALID' }, "another supplier's purpose does not open it");
  t.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'supplier-auth:a'), { code: 'SECRET_KEY_INVALID' }, 'another key does not open it');
  const [version, nonce, tag, body] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  t.throws(() => box.open([version, nonce, tag, flipped.toString('base64url')].join('.'), 'supplier-auth:a'), 'a tampered value is refused');
  t.throws(() => createSecretBox(randomBytes(16)), { code: 'SECRET_KEY_INVALID' }, 'a key must be 32 bytes');
});

t.test('passwords: scrypt with the parameters stored, verified in constant time', async (t) => {
  const stored = await hashPassword('correct horse battery staple');
  t.match(stored, /^scrypt\$17\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
  t.notMatch(stored, 'correct horse');
  t.not(await hashPassword('correct horse battery staple'), stored, 'salted');
  t.equal(await verifyPassword('correct horse battery staple', stored), true);
  t.equal(await verifyPassword('correct horse battery stapler', stored), false);
  t.equal(await verifyPassword('anything', 'not-a-hash'), false, 'a malformed hash is a refusal, not a crash');
});

t.test('tokens are stored as SHA-256', async (t) => {
  t.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
