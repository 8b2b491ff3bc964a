import t from 'tap';
import { challengeBlamesCredentials, generatedInputs, generatedValuesHint, refusedPlaceholders } from '../../harness/checks/placeholder-inputs.js';

// One rule, asked by status-code (the verdict) and by coverage (the reason an operation was not seen to work).
t.test('a 403 may be about the placeholders in its path, unless its challenge blames the credentials', async (t) => {
  const sources = { 'path:org': 'var', 'path:id': 'generated', 'query:q': 'example' };
  t.same(refusedPlaceholders(403, false, sources), ['id'], 'only the path value the harness made up');
  t.same(refusedPlaceholders(403, true, sources), [], 'insufficient_scope or invalid_token: the credentials');
  t.same(refusedPlaceholders(401, false, sources), [], 'a 401 is about the credentials alone');
  t.same(refusedPlaceholders(404, false, sources), [], 'a 404 is judged elsewhere');
  t.same(refusedPlaceholders(403, false, { 'path:id': 'harvested', 'path:org': 'created' }), [], 'every path value named a real record');
  t.same(refusedPlaceholders(undefined, false, sources), [], 'no answer');
});

t.test('the challenges that blame the credentials (RFC 6750 section 3.1)', async (t) => {
  t.ok(challengeBlamesCredentials({ 'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="things:read"' }));
  t.ok(challengeBlamesCredentials({ 'www-authenticate': 'Bearer error=invalid_token' }));
  t.notOk(challengeBlamesCredentials({ 'www-authenticate': 'Bearer error="invalid_request"' }));
  t.notOk(challengeBlamesCredentials({}));
});

t.test('the inputs the harness made up, a generated body among them', async (t) => {
  t.same(generatedInputs({ 'path:id': 'generated', 'query:q': 'example', body: 'generated', 'header:x': 'var' }), ['path:id', 'body']);
  t.same(generatedInputs({}), []);
});

t.test('the hint for generated values: --var for parameters, an example for a body no --var reaches', async (t) => {
  // Found on Strapi 5: coverage said `--var body=<value>`, which does nothing.
  t.equal(generatedValuesHint(['path:id', 'query:q']), '--var id=<value> --var q=<value>');
  t.equal(generatedValuesHint(['body']), 'an example request body in the document (no --var reaches a body)');
  t.equal(generatedValuesHint(['header:x-tenant', 'body']), '--var x-tenant=<value>, and an example request body in the document (no --var reaches a body)');
});
