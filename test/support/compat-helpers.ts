// Helpers for the compatibility suites (test/compat): set up flags through the admin API, build the real Flagsmith SDK
// clients against the listening test server, and an independent copy of Flagsmith's percentage hash
// (FLAGSMITH-COMPAT.md §2.6) so expected buckets are not computed by the code under test.
import { createHash } from 'node:crypto';
import { Flagsmith } from 'flagsmith-nodejs';
import type { Fixture, TestApi } from './harness';

/** MD5 of the ids joined by ',', as a 128-bit integer, mod 9999, scaled to [0, 100]; exactly 100 retries with the list doubled. */
export function percentageHash(ids: Array<string | number>, iterations = 1): number {
  const text = Array.from({ length: iterations }, () => ids.map(String).join(',')).join(',');
  const n = BigInt('0x' + createHash('md5').update(text, 'utf8').digest('hex'));
  const value = (Number(n % 9999n) / 9998) * 100;
  return value === 100 ? percentageHash(ids, iterations + 1) : value;
}

/** The variant an identity gets from a multivariate state: variants walked in id order over [start, start + weight). */
export function expectedVariant<T>(stateId: number, envKey: string, identifier: string, variants: Array<{ id: number; weight: number; value: T }>, control: T): T {
  const p = percentageHash([stateId, `${envKey}_${identifier}`]);
  let start = 0;
  for (const v of [...variants].sort((a, b) => a.id - b.id)) {
    if (start <= p && p < start + v.weight) return v.value;
    start += v.weight;
  }
  return control;
}

export type Condition = { operator: string; property?: string | null; value?: string | null };

/** Flagsmith's usual segment shape: a top-level ALL rule holding one sub-rule of the given type with the conditions. */
export function rulesOf(conditions: Condition[], type: 'ALL' | 'ANY' | 'NONE' = 'ALL') {
  return [{ type: 'ALL', conditions: [], rules: [{ type, rules: [], conditions: conditions.map((c) => ({ property: c.property ?? '', value: c.value ?? '', operator: c.operator })) }] }];
}

export interface FeatureBody {
  name: string;
  default_enabled?: boolean;
  initial_value?: string | number | boolean | null;
  is_server_key_only?: boolean;
  multivariate_options?: Array<{ type?: 'unicode' | 'int' | 'bool'; string_value?: string; integer_value?: number; boolean_value?: boolean; default_percentage_allocation: number }>;
}

/**
 * The features both SDK suites start from: plain flags of each value type, a disabled one, a server-key-only one, and
 * a multivariate feature with a 30/20 split over a control value.
 */
export const SDK_SUITE_FEATURES: FeatureBody[] = [
  { name: 'banner', default_enabled: true, initial_value: 'welcome' },
  { name: 'max_items', default_enabled: true, initial_value: '42' },
  { name: 'beta_ui', default_enabled: true, initial_value: 'false' },
  { name: 'legacy_mode', default_enabled: false, initial_value: 'old' },
  { name: 'secret_sauce', default_enabled: true, initial_value: 'ketchup', is_server_key_only: true },
  {
    name: 'checkout',
    default_enabled: true,
    initial_value: 'control',
    multivariate_options: [
      { type: 'unicode', string_value: 'variant_a', default_percentage_allocation: 30 },
      { type: 'unicode', string_value: 'variant_b', default_percentage_allocation: 20 },
    ],
  },
];

/** Admin-API shortcuts bound to one fixture. */
export class CompatSetup {
  constructor(readonly api: TestApi, readonly fx: Fixture) {}

  get envKey(): string {
    return this.fx.environment.api_key;
  }

  async feature(body: FeatureBody): Promise<{ id: number; name: string }> {
    return this.api.admin('POST', `/api/v1/projects/${this.fx.projectId}/features/`, body);
  }

  async segment(name: string, conditions: Condition[], type: 'ALL' | 'ANY' | 'NONE' = 'ALL'): Promise<{ id: number }> {
    return this.api.admin('POST', `/api/v1/projects/${this.fx.projectId}/segments/`, { name, rules: rulesOf(conditions, type) });
  }

  async segmentOverride(featureId: number, segmentId: number, state: { enabled: boolean; value: string | number | boolean | null; priority?: number }) {
    return this.api.admin('POST', `/api/v1/environments/${this.envKey}/features/${featureId}/create-segment-override/`, {
      segment: segmentId,
      enabled: state.enabled,
      feature_state_value: state.value,
      ...(state.priority !== undefined ? { priority: state.priority } : {}),
    });
  }

  /** The identity's id, creating it through the SDK endpoint when missing. */
  async identityId(identifier: string): Promise<number> {
    const res = await this.api.sdk('GET', `/api/v1/identities/?identifier=${encodeURIComponent(identifier)}`, this.envKey);
    if (res.statusCode !== 200) throw new Error(`identify ${identifier}: ${res.statusCode} ${res.body}`);
    const found = await this.api.admin('GET', `/api/v1/environments/${this.envKey}/identities/?q=${encodeURIComponent(`"${identifier}"`)}`);
    const row = found.results.find((r: { identifier: string }) => r.identifier === identifier);
    if (!row) throw new Error(`identity ${identifier} not found`);
    return row.id;
  }

  async identityOverride(identifier: string, featureId: number, state: { enabled: boolean; value: string | number | boolean | null }) {
    const id = await this.identityId(identifier);
    return this.api.admin('POST', `/api/v1/environments/${this.envKey}/identities/${id}/featurestates/`, { feature: featureId, enabled: state.enabled, feature_state_value: state.value });
  }

  /** The environment-default state of a feature (admin shape, with its multivariate weights). */
  async defaultState(featureId: number): Promise<{ id: number; enabled: boolean; feature_state_value: unknown; multivariate_feature_state_values: Array<{ id: number; multivariate_feature_option: number; percentage_allocation: number }> }> {
    const states = await this.api.admin('GET', `/api/v1/environments/${this.envKey}/featurestates/?feature=${featureId}`);
    return states.results[0];
  }

  async updateDefault(featureId: number, patch: { enabled?: boolean; feature_state_value?: string | number | boolean | null }) {
    const state = await this.defaultState(featureId);
    return this.api.admin('PATCH', `/api/v1/environments/${this.envKey}/featurestates/${state.id}/`, patch);
  }

  async options(featureId: number): Promise<Array<{ id: number; type: string; string_value: string | null; integer_value: number | null; boolean_value: boolean | null }>> {
    const res = await this.api.admin('GET', `/api/v1/projects/${this.fx.projectId}/features/${featureId}/mv-options/`);
    return Array.isArray(res) ? res : res.results;
  }
}

/** A logger for the SDK that records what it reports instead of printing it. */
export function recordingLogger() {
  const entries: Array<{ level: string; args: unknown[] }> = [];
  const log = (level: string) => (...args: unknown[]) => void entries.push({ level, args });
  return { entries, logger: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), trace: log('trace'), fatal: log('fatal') } };
}

/** A Node SDK client against the test server; no retries so failures surface at once. */
export function nodeClient(api: TestApi, environmentKey: string, options: Partial<ConstructorParameters<typeof Flagsmith>[0]> = {}) {
  const { logger, entries } = recordingLogger();
  const client = new Flagsmith({
    environmentKey,
    apiUrl: `${api.url}/api/v1/`,
    retries: 0,
    requestTimeoutSeconds: 5,
    logger: logger as never,
    ...options,
  });
  return { client, logs: entries };
}

/** Runs fn over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
