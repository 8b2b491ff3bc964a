import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { planDryRun, preparePlan, run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

/**
 * Unleash 6.10: `POST /projects/{projectId}/features/{child}/dependencies`
 * took {child} from a list, `seed-flag-one`, a flag the run did not create,
 * and made it depend on the document's example flag; the 200 named nothing
 * to delete, so the flag stayed changed. A create is now sent under a parent
 * the run made, or one the user names with --var, never one a list showed.
 * A create nests under the run's own record only where its path names the
 * record as the record's own path does: a parameter of another name at that
 * place may name something else (review: `/things/{category}/purge`).
 */

const json = (schema: unknown) => ({ 'application/json': { schema } });
const flag = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };

function document(withFlagCreate: boolean, child = 'child'): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'flags', version: '1' },
    paths: {
      '/flags': {
        get: { operationId: 'getFlags', responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { features: { type: 'array', items: flag } } }) } } },
        ...(withFlagCreate ? { post: { operationId: 'createFlag', requestBody: { required: true, content: json(flag) }, responses: { '201': { description: 'made', content: json(flag) } } } } : {}),
      },
      '/flags/{featureName}': {
        parameters: [{ name: 'featureName', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getFlag', responses: { '200': { description: 'ok', content: json(flag) }, '404': { description: 'none' } } },
        ...(withFlagCreate ? { delete: { operationId: 'deleteFlag', responses: { '204': { description: 'gone' }, '404': { description: 'none' } } } } : {}),
      },
      [`/flags/{${child}}/dependencies`]: {
        parameters: [{ name: child, in: 'path', required: true, schema: { type: 'string' } }],
        post: {
          operationId: 'addFeatureDependency',
          requestBody: { required: true, content: json({ type: 'object', required: ['feature'], properties: { feature: { type: 'string', example: 'parent_feature' } } }) },
          responses: { '200': { description: 'added' }, '404': { description: 'no such flag' } },
        },
      },
      [`/flags/{${child}}/dependencies/{parent}`]: {
        parameters: [{ name: child, in: 'path', required: true, schema: { type: 'string' } }, { name: 'parent', in: 'path', required: true, schema: { type: 'string' } }],
        delete: { operationId: 'deleteFeatureDependency', responses: { '200': { description: 'removed' }, '404': { description: 'none' } } },
      },
    },
  });
}

/** Flags with their dependencies; `checkout` and `parent_feature` are someone else's. */
async function flags(t: Test) {
  const store = new Map<string, string[]>([['checkout', []], ['parent_feature', []]]);
  const requests: string[] = [];
  const app = Fastify();
  app.addHook('onRequest', async (request) => void requests.push(`${request.method} ${request.url}`));
  app.get('/flags', async () => ({ features: [...store.keys()].map((name) => ({ name })) }));
  app.post<{ Body: { name: string } }>('/flags', async (request, reply) => {
    store.set(request.body.name, []);
    return reply.code(201).send({ name: request.body.name });
  });
  app.get<{ Params: { name: string } }>('/flags/:name', async (request, reply) => (store.has(request.params.name) ? { name: request.params.name } : reply.code(404).send({})));
  app.delete<{ Params: { name: string } }>('/flags/:name', async (request, reply) => reply.code(store.delete(request.params.name) ? 204 : 404).send());
  app.post<{ Params: { name: string }; Body: { feature: string } }>('/flags/:name/dependencies', async (request, reply) => {
    const dependencies = store.get(request.params.name);
    if (!dependencies) return reply.code(404).send({});
    dependencies.push(request.body.feature);
    return reply.code(200).send();
  });
  app.delete<{ Params: { name: string; parent: string } }>('/flags/:name/dependencies/:parent', async (request, reply) => {
    const dependencies = store.get(request.params.name);
    const at = dependencies?.indexOf(request.params.parent) ?? -1;
    if (at < 0) return reply.code(404).send({});
    dependencies!.splice(at, 1);
    return {};
  });
  return { target: await listen(t, app), store, requests };
}

t.test('a create under a parent a list showed is not sent: the dry run and the run say how to name one', async (t) => {
  const { target, store, requests } = await flags(t);
  const dir = t.testdir({ 'openapi.json': document(false) });
  const options = { profile: `${dir}/openapi.json`, target, allowWrites: true };
  const reason = /^no value for path parameter \{child\} from --var: a create is sent under a parent only the user names, .*pass --var child=<value>\)$/;
  const dry = planDryRun(await preparePlan(options));
  t.match(dry.find((line) => line.operationId === 'addFeatureDependency'), { reason: /^not sent: no value for path parameter \{child\} from --var/ }, 'the dry run shows no placeholder parent');
  // As the run: no step of a lifecycle whose create is not sent is planned (verification: its steps were counted, with a hint that did not help).
  t.match(dry.find((line) => line.operationId === 'deleteFeatureDependency'), { reason: /^not sent: the create step POST \/flags\/\{child\}\/dependencies was not sent \(no value for path parameter \{child\} from --var/ });
  const report = await run(options);
  t.match(report.results.find((r) => r.operationId === 'addFeatureDependency'), { status: 'skip', message: reason });
  t.notOk(requests.some((r) => r.startsWith('POST')), 'nothing was added under checkout');
  t.same(store.get('checkout'), []);
});

t.test('a parent the user names with --var is written under', async (t) => {
  const { target, requests } = await flags(t);
  const dir = t.testdir({ 'openapi.json': document(false) });
  await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, vars: { child: 'checkout' } });
  t.ok(requests.includes('POST /flags/checkout/dependencies'), "the user's choice");
});

t.test("a create under the run's own record is nested in its lifecycle where its path names the record as the record's does", async (t) => {
  const { target, store, requests } = await flags(t);
  const dir = t.testdir({ 'openapi.json': document(true, 'featureName') });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const added = requests.find((r) => r.startsWith('POST /flags/') && r.endsWith('/dependencies'));
  t.match(added, /^POST \/flags\/interop-probe-[0-9a-f]+\/dependencies$/, "under the run's own flag");
  t.same(store.get('checkout'), [], "someone else's flag untouched");
  t.same([...store.keys()].sort(), ['checkout', 'parent_feature'], "the run's flag deleted");
  t.ok(report.results.some((r) => r.operationId === 'addFeatureDependency' && r.check === 'status-code' && r.status === 'pass'), 'the dependency create was probed and judged');
  // Its 200 named nothing to delete; the run's flag, which it lies under, was deleted after it (Unleash's legal values).
  t.match(report.cleanup?.leftBehind, [{ url: /\/flags\/interop-probe-[0-9a-f]+\/dependencies$/, reason: /; the run then deleted http:\/\/127\.0\.0\.1:\d+\/flags\/interop-probe-[0-9a-f]+, which it lies under, and which may have taken it too$/ }]);
});

t.test('a parameter of another name at the record\'s place is not taken for the record: the create is a root one, sent only under a named parent', async (t) => {
  // Review: by position alone, `/things/{category}/purge` was sent with the run's thing id as someone else's category.
  const { target, requests } = await flags(t);
  const dir = t.testdir({ 'openapi.json': document(true, 'child') });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.notOk(requests.some((r) => r.endsWith('/dependencies')), 'not sent');
  t.match(report.results.find((r) => r.operationId === 'addFeatureDependency'), { status: 'skip', message: /^no value for path parameter \{child\} from --var/ });
});
