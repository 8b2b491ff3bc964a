import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');

// Docker is not available where the tests run: the files are checked for structure, not run.
t.test('compose.yaml starts PostgreSQL, the service and two workers from one image', async (t) => {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, any>; volumes: Record<string, unknown> };
  t.same(Object.keys(compose.services).sort(), ['postgres', 'service', 'worker-1', 'worker-2']);
  t.match(compose.services.postgres.image, /^postgres:\d+/);
  t.ok(compose.services.postgres.healthcheck, 'PostgreSQL has a health check the others wait for');
  t.same(compose.services.service.command.slice(0, 1), ['serve']);
  t.ok(compose.services.service.command.includes('0.0.0.0'), 'serve listens beyond the container loopback');
  for (const name of ['service', 'worker-1', 'worker-2']) {
    const service = compose.services[name];
    t.match(service.environment.DATABASE_URL, /^postgres:\/\/.*@postgres:5432\//, `${name} uses the postgres service`);
    t.ok(service.environment.INTEROP_SECRET_KEY, `${name} has the shared secret key`);
    t.ok('INTEROP_ALLOWED_TARGETS' in service.environment, `${name} is given the operator's allow-list`);
    t.equal(service.depends_on.postgres.condition, 'service_healthy', `${name} waits for PostgreSQL`);
  }
  for (const name of ['worker-1', 'worker-2']) t.equal(compose.services[name].command[0], 'worker');
  t.equal(compose.services['worker-1'].image, compose.services.service.image, 'one image for serve and worker');
  t.ok(compose.volumes['postgres-data'] !== undefined, 'the database is on a named volume');
});

t.test('the image runs on a supported Node LTS, as a non-root user, with the CLI as its entrypoint', async (t) => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
  t.ok(bases.length >= 1 && bases.every((major) => major >= 22 && major % 2 === 0), `LTS bases: ${bases.join(', ')}`);
  t.match(dockerfile, /^USER node$/m);
  t.match(dockerfile, /^ENTRYPOINT \["node", "\/app\/dist\/cli\/bin\.js"\]$/m);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  t.equal(pkg.engines.node, '>=20.18.1', 'engines still admits Node 20');
});

t.test('the README documents the deployment variables', async (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const name of ['DATABASE_URL', 'INTEROP_SECRET_KEY', 'INTEROP_BOOTSTRAP_TOKEN', 'INTEROP_WORKER_CONCURRENCY', 'INTEROP_ALLOWED_TARGETS', 'pg_dump', 'docker compose']) t.match(readme, name, `mentions ${name}`);
});
