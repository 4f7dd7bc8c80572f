// Seeds the benchmark's data set through the real app (FLAGSMITH-COMPAT.md §5, Flagsmith's reference setup): 50
// features (10 multivariate), 15 segments of 15 trait conditions each, every feature overridden in every segment
// (750 segment overrides), 100 identity overrides, and 10,000 identities with 10 traits each.
//
// Features, segments and overrides go through the admin API (validation, audit rows, version bumps: exactly what a
// user's setup would produce). The identities go through the identity repository in batched transactions (the same
// insert and trait functions the SDK endpoints use, without 10,000 HTTP round trips).
import { loadConfig } from '../api/src/config';
import { createApiRuntime } from '../api/src/runtimes/bootstrap';
import { insertIdentity, applyTraitChanges, findIdentity } from '../api/src/store/repositories/identities';
import type { TraitValue } from '../api/src/domain/traits';

export const FEATURES = 50;
export const MULTIVARIATE = 10;
export const SEGMENTS = 15;
export const CONDITIONS_PER_SEGMENT = 15;
export const IDENTITIES = 10_000;
export const IDENTITY_OVERRIDES = 100;

const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const COUNTRIES = ['GB', 'US', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'IE', 'PT', 'JP'];
const DEVICES = ['ios', 'android', 'web', 'desktop'];

/** The traits identity `user-<n>` is seeded with; identify.lua sends two of them (plan, age) with every POST. */
export function traitsOf(n: number): Record<string, TraitValue> {
  return {
    plan: PLANS[n % PLANS.length]!,
    age: 18 + (n % 60),
    country: COUNTRIES[n % COUNTRIES.length]!,
    device: DEVICES[n % DEVICES.length]!,
    email: `user-${n}@example${n % 7}.com`,
    sessions: (n * 7) % 500,
    beta: n % 5 === 0,
    app_version: `${1 + (n % 3)}.${n % 10}.${n % 4}`,
    signup_days: (n * 13) % 1000,
    organisation: `org-${n % 250}`,
  };
}

/** 15 conditions over those traits; segment s varies the values, so each identity matches a few segments. */
function segmentRules(s: number) {
  const plan = PLANS[s % PLANS.length]!;
  const country = COUNTRIES[s % COUNTRIES.length]!;
  const c = (property: string, operator: string, value: string) => ({ property, operator, value });
  // An ALL rule of 5 cheap conditions that most identities pass, then an ANY rule of 10 that is walked until one
  // matches: the evaluation walks most of the 15 conditions for most identities, as real targeting rules do.
  return [
    {
      type: 'ALL',
      conditions: [],
      rules: [
        {
          type: 'ALL',
          rules: [],
          conditions: [
            c('age', 'GREATER_THAN_INCLUSIVE', String(18 + (s % 5))),
            c('sessions', 'LESS_THAN', String(450 + s)),
            c('country', 'NOT_EQUAL', 'XX'),
            c('email', 'IS_SET', ''),
            c('signup_days', 'GREATER_THAN', String(s)),
          ],
        },
        {
          type: 'ANY',
          rules: [],
          conditions: [
            c('plan', 'EQUAL', plan),
            c('country', 'IN', `${country},${COUNTRIES[(s + 5) % COUNTRIES.length]}`),
            c('device', 'EQUAL', DEVICES[s % DEVICES.length]!),
            c('email', 'CONTAINS', `@example${s % 7}.com`),
            c('app_version', 'REGEX', `^${1 + (s % 3)}\\.[0-${s % 10}]\\.`),
            c('organisation', 'EQUAL', `org-${s * 11}`),
            c('sessions', 'MODULO', `${7 + s}|0`),
            c('beta', 'EQUAL', 'true'),
            c('signup_days', 'LESS_THAN_INCLUSIVE', String(10 + s)),
            c('', 'PERCENTAGE_SPLIT', String(5 + s)),
          ],
        },
      ],
    },
  ];
}

export interface SeededDataSet {
  environmentKey: string;
  serverKey: string;
  /** An existing identity with traits and no override of its own: what GET /identities/ reads. */
  identityIdentifier: string;
  identities: number;
  features: number;
  segments: number;
  segmentOverrides: number;
  identityOverrides: number;
  seconds: number;
}

export async function seed(databaseUrl: string, log: (line: string) => void = () => undefined): Promise<SeededDataSet> {
  const started = Date.now();
  const email = 'bench@example.com';
  const password = 'bench-password-not-secret';
  const runtime = await createApiRuntime(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ADMIN_EMAIL: email, ADMIN_PASSWORD: password }));
  try {
    const { app, store } = runtime;
    const call = async <T = any>(method: string, url: string, body?: unknown, token?: string): Promise<T> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await app.inject({
        method: method as never,
        url,
        payload: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Token ${token}` } : {}) },
      });
      if (res.statusCode >= 300) throw new Error(`seed: ${method} ${url} -> ${res.statusCode}: ${res.body}`);
      return (res.body ? res.json() : undefined) as T;
    };
    const { key: token } = await call<{ key: string }>('POST', '/api/v1/auth/login/', { email, password });
    const admin = <T = any>(method: string, url: string, body?: unknown) => call<T>(method, url, body, token); // eslint-disable-line @typescript-eslint/no-explicit-any

    const org = await admin('POST', '/api/v1/organisations/', { name: 'Bench org' });
    const project = await admin('POST', '/api/v1/projects/', { name: 'Bench project', organisation: org.id });
    const environment = await admin('POST', '/api/v1/environments/', { name: 'Production', project: project.id });
    const envKey: string = environment.api_key;
    const serverKey = (await admin('POST', `/api/v1/environments/${envKey}/api-keys/`, { name: 'bench server key' })).key as string;

    const featureIds: number[] = [];
    for (let f = 0; f < FEATURES; f++) {
      const multivariate = f < MULTIVARIATE;
      const kind = f % 3;
      const body: Record<string, unknown> = {
        name: `feature_${String(f).padStart(2, '0')}`,
        description: `Benchmark feature ${f}`,
        default_enabled: f % 4 !== 0,
        initial_value: multivariate ? 'control' : kind === 0 ? `value-${f}` : kind === 1 ? 100 + f : f % 2 === 0,
      };
      if (multivariate) {
        body.multivariate_options = [
          { type: 'unicode', string_value: `variant-a-${f}`, default_percentage_allocation: 30 },
          { type: 'unicode', string_value: `variant-b-${f}`, default_percentage_allocation: 30 },
          { type: 'int', integer_value: f, default_percentage_allocation: 20 },
        ];
      }
      featureIds.push((await admin('POST', `/api/v1/projects/${project.id}/features/`, body)).id);
    }
    log(`  ${FEATURES} features (${MULTIVARIATE} multivariate)`);

    const segmentIds: number[] = [];
    for (let s = 0; s < SEGMENTS; s++) {
      segmentIds.push((await admin('POST', `/api/v1/projects/${project.id}/segments/`, { name: `segment_${s}`, rules: segmentRules(s) })).id);
    }
    let segmentOverrides = 0;
    for (let s = 0; s < SEGMENTS; s++) {
      for (let f = 0; f < FEATURES; f++) {
        await admin('POST', `/api/v1/environments/${envKey}/features/${featureIds[f]}/create-segment-override/`, {
          segment: segmentIds[s],
          enabled: (s + f) % 3 !== 0,
          feature_state_value: f % 3 === 1 ? 1000 * s + f : `segment-${s}-feature-${f}`,
        });
        segmentOverrides++;
      }
    }
    log(`  ${SEGMENTS} segments x ${CONDITIONS_PER_SEGMENT} conditions, ${segmentOverrides} segment overrides`);

    // 10,000 identities with 10 traits, 500 per transaction, through the identity repository.
    const batch = 500;
    for (let from = 0; from < IDENTITIES; from += batch) {
      await store.connection.db.transaction().execute(async (trx) => {
        for (let n = from; n < Math.min(from + batch, IDENTITIES); n++) {
          const id = await insertIdentity(trx, store.traits, environment.id, `user-${n}`);
          await applyTraitChanges(trx, id, Object.entries(traitsOf(n)).map(([key, value]) => ({ key, value })), []);
        }
      });
    }
    log(`  ${IDENTITIES} identities with ${Object.keys(traitsOf(0)).length} traits each`);

    // Identity overrides on user-9900..user-9999 (the benchmark's GET identity, user-42, has none of its own).
    const overridden: number[] = [];
    for (let n = IDENTITIES - IDENTITY_OVERRIDES; n < IDENTITIES; n++) overridden.push((await findIdentity(store.db, environment.id, `user-${n}`))!.id);
    for (const [i, identityId] of overridden.entries()) {
      await admin('POST', `/api/v1/environments/${envKey}/identities/${identityId}/featurestates/`, {
        feature: featureIds[i % FEATURES],
        enabled: true,
        feature_state_value: `identity-override-${i}`,
      });
    }
    log(`  ${overridden.length} identity overrides`);
    return {
      environmentKey: envKey,
      serverKey,
      identityIdentifier: 'user-42',
      identities: IDENTITIES,
      features: FEATURES,
      segments: SEGMENTS,
      segmentOverrides,
      identityOverrides: overridden.length,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await runtime.close();
  }
}
