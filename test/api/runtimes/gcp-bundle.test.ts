// The BUILT Cloud Functions package (dist/gcp), served by the real @google-cloud/functions-framework as a local
// server (its `--source` and `--target` flags, as the buildpack starts it), under Node 20 and Node 22: the SDK's
// two main calls go over loopback HTTP through Express into the app.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NODES,
  ROOT,
  freePort,
  privateBuild,
  runtimeFolderFor,
  seedSqliteDatabase,
  startProcess,
  waitForHttp,
  type PrivateBuild,
  type SeededDatabase,
} from './support';

let build: PrivateBuild;
let db: SeededDatabase;
let fnDir: string;
const FRAMEWORK = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');

beforeAll(async () => {
  [build, db] = await Promise.all([privateBuild(['gcp']), seedSqliteDatabase()]);
  fnDir = join(build.outDir, 'gcp');
}, 600_000);

afterAll(() => {
  build?.cleanup();
  db?.cleanup();
});

type Flag = { feature: { name: string }; enabled: boolean; feature_state_value: unknown };
const value = (flags: Flag[], name: string) => flags.find((f) => f.feature.name === name)?.feature_state_value;

test('package.json names the bundle and the dependencies the buildpack installs', () => {
  const pkg = JSON.parse(readFileSync(join(fnDir, 'package.json'), 'utf8'));
  expect(existsSync(join(fnDir, pkg.main))).toBe(true);
  expect(Object.keys(pkg.dependencies).sort()).toEqual(['@google-cloud/functions-framework', '@node-rs/argon2']);
  const exported = Object.keys(require(join(fnDir, pkg.main)) as object).sort();
  expect(exported).toEqual(['flagstack', 'migrate', 'scheduler']);
});

describe.each(NODES)('dist/gcp under $name', ({ bin }) => {
  test('functions-framework --target=flagstack serves GET /api/v1/flags/ and POST /api/v1/identities/', async () => {
    const port = await freePort();
    const server = startProcess(bin, [FRAMEWORK, '--target=flagstack', `--source=${runtimeFolderFor(bin, fnDir)}`, `--port=${port}`], {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      MIGRATE_ON_START: 'false',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/health/liveness`, server);
      const flags = await fetch(`${base}/api/v1/flags/`, { headers: { 'x-environment-key': db.environmentKey } });
      expect(flags.status).toBe(200);
      expect(flags.headers.get('content-type')).toMatch(/^application\/json/);
      expect(value((await flags.json()) as Flag[], db.featureName)).toBe(db.defaultValue);
      const identity = await fetch(`${base}/api/v1/identities/`, {
        method: 'POST',
        headers: { 'x-environment-key': db.environmentKey, 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: 'gcp-user', traits: [{ trait_key: 'plan', trait_value: 'pro' }] }),
      });
      expect(identity.status).toBe(200);
      expect(value(((await identity.json()) as { flags: Flag[] }).flags, db.featureName)).toBe(db.proValue);
      // A missing key is the API's own 4xx, not a framework error page.
      const denied = await fetch(`${base}/api/v1/flags/`);
      expect(denied.status).toBeGreaterThanOrEqual(400);
      expect(denied.status).toBeLessThan(500);
      expect(denied.headers.get('content-type')).toMatch(/^application\/json/);
    } finally {
      await server.stop();
    }
  });
});
