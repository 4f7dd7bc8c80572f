// docker-compose.yml (the seed's docker path) checked against the runtime contract and the Dockerfile: every
// variable is one the API reads and validates, a one-shot migrate service gates the API, PostgreSQL is healthy
// first, and the AppDynamics file is mounted where APPDYNAMICS_CONFIG_PATH says, from an example the API's reader
// accepts. Parsed with the `yaml` package (already installed as a dependency of @fastify/swagger).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isRuntimeEnvName, loadConfig, validateEnv } from '../../../api/src/config';
import { resolveAgentOptions } from '../../../api/src/observability/appdynamics';
import { execForm, ignored, readDockerfile, readDockerignore } from './dockerfile';
import { ROOT } from './support';

interface Service {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const { api, migrate, postgres } = compose.services;

/** Compose's `${NAME:-default}` interpolation, with every NAME unset (the defaults a fresh checkout gets). */
function interpolate(value: string): string {
  return String(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

function environment(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]));
}

test('three services: PostgreSQL (with a health check), a one-shot migrate job, and the API gated on both', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'migrate', 'postgres']);
  expect(postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
  expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  expect(migrate.restart).toBe('no');
  expect(api.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, migrate: { condition: 'service_completed_successfully' } });
});

test('every variable of the API and the migrate job is in the runtime contract, and validates', () => {
  for (const service of [api, migrate]) {
    const env = environment(service);
    expect(Object.keys(env).filter((name) => !isRuntimeEnvName(name))).toEqual([]);
    expect(validateEnv(env)).toEqual([]);
  }
  const config = loadConfig(environment(api));
  expect(config.database.engine).toBe('postgres');
  expect(config.database.migrateOnStart).toBe(false);
  expect(config.appDynamics.enabled).toBe(true);
  // The database URL names the postgres service with its database, user and password.
  const url = new URL(config.database.url);
  const pg = environment(postgres);
  expect([url.hostname, url.pathname.slice(1), url.username, url.password]).toEqual(['postgres', pg.POSTGRES_DB, pg.POSTGRES_USER, pg.POSTGRES_PASSWORD]);
  expect(environment(migrate).DATABASE_URL).toBe(config.database.url);
  // The published port is the one the API listens on.
  expect(api.ports).toEqual([`8000:${config.port}`]);
});

test('the image is built with the agent and both services run the Dockerfile image; migrate runs the bundled CLI', () => {
  const dockerfile = readDockerfile();
  const stages = dockerfile.stages;
  const argNames = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'ARG').map((i) => i.args.split('=')[0]));
  for (const service of [api, migrate]) {
    expect(service.build).toEqual({ context: '.', args: { APP_DYNAMICS: 'on' } });
    expect(service.image).toBe('flagstack:local');
    for (const arg of Object.keys(service.build?.args ?? {})) expect(argNames).toContain(arg);
  }
  const start = execForm(stages[stages.length - 1].instructions.find((i) => i.keyword === 'CMD')!.args);
  expect(api.command).toBeUndefined(); // the image's own start command
  expect(migrate.command).toEqual([...start.slice(0, -1), 'migrate']);
});

test('appdynamics.cfg is mounted read-only where APPDYNAMICS_CONFIG_PATH points; the example parses', () => {
  const env = environment(api);
  const mount = (api.volumes ?? []).map(interpolate).find((v) => v.split(':')[1] === env.APPDYNAMICS_CONFIG_PATH);
  expect(mount).toBe('./docker/appdynamics.cfg:/etc/appdynamics.cfg:ro');
  expect(env.APPDYNAMICS_CONFIG_PATH).toBe('/etc/appdynamics.cfg');
  const { options, warnings } = resolveAgentOptions({ APPDYNAMICS_CONFIG_PATH: join(ROOT, 'docker', 'appdynamics.cfg.example') }, 'container');
  expect(warnings).toEqual([]);
  expect(options).toMatchObject({ applicationName: 'flagstack', tierName: 'api', controllerPort: 443, controllerSslEnabled: true });
  // The filled-in copy holds the access key: it never goes into the build context.
  expect(ignored(readDockerignore(), 'docker/appdynamics.cfg')).toBe(true);
});

test('the Dockerfile: multi-stage on node:22-slim, non-root, production dependencies, health check, agent by build arg', () => {
  const { stages } = readDockerfile();
  expect(stages.length).toBeGreaterThanOrEqual(2);
  for (const stage of stages) expect(stage.from).toBe('node:22-slim');
  const final = stages[stages.length - 1];
  const user = final.instructions.filter((i) => i.keyword === 'USER').pop()?.args;
  expect(user).toBeDefined();
  expect(['root', '0']).not.toContain(user);
  const all = stages.flatMap((s) => s.instructions);
  expect(all.some((i) => i.keyword === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
  expect(all.some((i) => i.keyword === 'RUN' && /"\$APP_DYNAMICS" = "on"/.test(i.args) && /npm install .*appdynamics@/.test(i.args))).toBe(true);
  // The final stage copies no dev tooling: only production node_modules and the server bundle.
  const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
  expect(copies).toEqual(expect.arrayContaining(['--from=prod-deps /app/node_modules ./node_modules', '--from=build /src/dist/server ./dist/server']));
  expect(final.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args).toMatch(/\/health\/liveness/);
});

test('.dockerignore keeps the context tight, yet keeps everything the Dockerfile copies', () => {
  const patterns = readDockerignore();
  for (const path of ['node_modules/x', 'dist/maps/lambda/index.js.map', 'cdk.out/x', 'cdktf.out/x', '.git/HEAD', 'test/x.ts', 'bench/x', 'data/flagstack.db', 'coverage/x']) {
    expect({ path, ignored: ignored(patterns, path) }).toEqual({ path, ignored: true });
  }
  const { stages } = readDockerfile();
  const sources = stages
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
  expect(sources.length).toBeGreaterThan(3);
  for (const source of sources) expect({ source, ignored: ignored(patterns, source.replace(/^\.\//, '')) }).toEqual({ source, ignored: false });
});
