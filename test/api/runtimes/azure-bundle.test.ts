// The BUILT Azure Functions app (dist/azure) is a complete, zip-deployable v4-model app: host.json, package.json
// with main, the bundle and its native modules. Loaded in a fresh process under Node 20 and Node 22 with a
// stand-in for the worker's @azure/functions-core, it registers one anonymous catch-all HTTP trigger, and serves
// the SDK's two main calls from `@azure/functions` HttpRequest objects.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODES, SCRIPTS, lastJson, privateBuild, runProcess, runtimeFolderFor, seedSqliteDatabase, type PrivateBuild, type SeededDatabase } from './support';

let build: PrivateBuild;
let db: SeededDatabase;
let appDir: string;

beforeAll(async () => {
  [build, db] = await Promise.all([privateBuild(['azure']), seedSqliteDatabase()]);
  appDir = join(build.outDir, 'azure');
}, 600_000);

afterAll(() => {
  build?.cleanup();
  db?.cleanup();
});

type Flag = { feature: { name: string }; enabled: boolean; feature_state_value: unknown };
const value = (flags: Flag[], name: string) => flags.find((f) => f.feature.name === name)?.feature_state_value;

test('the app folder is complete: host.json (no /api route prefix, extension bundle), package.json main, natives, no maps', () => {
  const host = JSON.parse(readFileSync(join(appDir, 'host.json'), 'utf8'));
  expect(host.version).toBe('2.0');
  expect(host.extensions.http.routePrefix).toBe('');
  expect(host.extensionBundle.id).toBe('Microsoft.Azure.Functions.ExtensionBundle');
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
  expect(existsSync(join(appDir, pkg.main))).toBe(true);
  expect(existsSync(join(appDir, 'node_modules', '@node-rs', 'argon2-linux-x64-gnu', 'argon2.linux-x64-gnu.node'))).toBe(true);
  expect(existsSync(join(appDir, 'index.js.map'))).toBe(false);
  expect(existsSync(join(build.outDir, 'maps', 'azure', 'index.js.map'))).toBe(true);
});

describe.each(NODES)('dist/azure under $name', ({ bin }) => {
  test('registers the catch-all trigger and serves GET /api/v1/flags/ and POST /api/v1/identities/', async () => {
    const result = await runProcess(bin, [join(SCRIPTS, 'azure-invoke.js'), runtimeFolderFor(bin, appDir), db.environmentKey], {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      MIGRATE_ON_START: 'false',
      NODE_PATH: join(SCRIPTS, 'functions-core-stub'),
    });
    const out = lastJson(result);
    expect(out.fatal).toBeUndefined();
    expect(out.programmingModel).toBe('@azure/functions');
    const http = out.registered.find((r: { name: string }) => r.name === 'flagstack');
    expect(http.bindings).toEqual(
      expect.arrayContaining([
        {
          type: 'httpTrigger',
          direction: 'in',
          route: '{*path}',
          methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
          authLevel: 'anonymous',
        },
        expect.objectContaining({ type: 'http', direction: 'out' }),
      ]),
    );
    // The migration job needs a function key; the scheduler is a timer.
    const migrate = out.registered.find((r: { name: string }) => r.name === 'flagstack-migrate');
    expect(migrate.bindings[0]).toMatchObject({ type: 'httpTrigger', authLevel: 'function', methods: ['POST'], route: 'flagstack/migrate' });
    const scheduler = out.registered.find((r: { name: string }) => r.name === 'flagstack-scheduler');
    expect(scheduler.bindings[0]).toMatchObject({ type: 'timerTrigger', schedule: '0 */1 * * * *' });
    // Without LDAP configured there is no LDAP-sync timer.
    expect(out.registered.map((r: { name: string }) => r.name)).not.toContain('flagstack-ldap-sync');

    expect(out.get.status).toBe(200);
    expect(out.get.headers['content-type']).toMatch(/^application\/json/);
    expect(value(out.get.body, db.featureName)).toBe(db.defaultValue);
    expect(out.post.status).toBe(200);
    expect(value(out.post.body.flags, db.featureName)).toBe(db.proValue);
    expect(out.health).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok' } });
  });
});

test('with LDAP_AUTH_URL in the app settings, an hourly LDAP-sync timer runs the ldap-sync job of the scheduler entry', async () => {
  const result = await runProcess(NODES[0].bin, [join(SCRIPTS, 'azure-invoke.js'), appDir, 'timers'], {
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    LDAP_AUTH_URL: 'ldap://127.0.0.1:1',
    LDAP_AUTH_SEARCH_BASE: 'dc=example,dc=com',
    NODE_PATH: join(SCRIPTS, 'functions-core-stub'),
  });
  const out = lastJson(result);
  const timer = out.registered.find((r: { name: string }) => r.name === 'flagstack-ldap-sync');
  expect(timer.bindings[0]).toMatchObject({ type: 'timerTrigger', schedule: '0 17 * * * *' });
  // The timer reaches services/ldap/sync, which refuses here (no sync account): logged as an error, not a crash.
  expect(out.ldapSyncLogs).toEqual(['error: ldap-sync failed: LDAP_SYNC_USER_USERNAME is not set: the sync binds as that account']);
});
