import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { compileValidators } from '../../harness/schema/compile-validators.js';
import { schemaProblemCount } from '../../harness/schema/schema-errors.js';
import { listen } from '../support/listen.js';
import { docWithSchema, makeProfile, THINGS } from '../schema/make-profile.js';

/**
 * A oneOf/anyOf error that says its closest branch's errors come next is an
 * introduction, not another problem. Directus: 19 revisions, each with a null
 * `version` under `oneOf [string, …]`, were reported as "38 schema errors".
 */

const revision = {
  type: 'object',
  required: ['id', 'version'],
  properties: { id: { type: 'integer' }, version: { oneOf: [{ type: 'string' }, { type: 'object', required: ['major'], properties: { major: { type: 'integer' } } }] } },
};

t.test('a oneOf and its closest branch are one problem', async (t) => {
  const v = compileValidators(makeProfile(docWithSchema({ type: 'array', items: revision })));
  const errors = v.validate(THINGS, [{ id: 1, version: null }, { id: 2, version: null }, { id: 3, version: '1' }]);
  t.equal(errors.filter((e) => e.keyword === 'oneOf').length, 2, JSON.stringify(errors));
  t.ok(errors.length > 2, 'each oneOf is followed by its branch errors');
  t.equal(schemaProblemCount(errors), 2);
  // A oneOf that matches too many branches stands alone: it is the problem.
  const both = compileValidators(makeProfile(docWithSchema({ oneOf: [{ type: 'integer' }, { type: 'number' }] })));
  t.equal(schemaProblemCount(both.validate(THINGS, 1)), 1);
});

t.test('the response-schema result counts problems, not list entries', async (t) => {
  const app = Fastify();
  app.get('/revisions', async () => ({ data: Array.from({ length: 19 }, (_, i) => ({ id: i + 1, version: null })) }));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'revisions', version: '1' },
      paths: {
        '/revisions': {
          get: {
            operationId: 'getRevisions',
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: revision } } } } } } },
          },
        },
      },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  const result = report.results.find((r) => r.check === 'response-schema');
  t.match(result, { status: 'fail', message: / \(and 18 more\)$/, actual: '19 schema errors' });
  t.equal(result?.schemaErrors?.length, 38, 'every entry is still listed');
});

t.test('a list cut short counts the problems its last note stands for', async (t) => {
  // 120 wrong items: 49 listed, then "71 more schema errors not shown". The count was 50.
  const v = compileValidators(makeProfile(docWithSchema({ type: 'array', items: { type: 'string' } })));
  const errors = v.validate(THINGS, Array.from({ length: 120 }, (_, i) => i));
  t.equal(errors.length, 50, 'the list is cut');
  t.match(errors.at(-1), { message: '71 more schema errors not shown', omitted: 71 });
  t.equal(schemaProblemCount(errors), 120);
  // Cut among oneOf failures, the note counts problems too: a oneOf and its closest branch's errors are one.
  const revisions = compileValidators(makeProfile(docWithSchema({ type: 'array', items: revision })));
  const cut = revisions.validate(THINGS, Array.from({ length: 40 }, (_, i) => ({ id: i, version: null })));
  t.equal(schemaProblemCount(cut), 40, JSON.stringify(cut.at(-1)));
});
