// The effective configuration for people: a copy of AppConfig with every secret masked, and the same as
// `key = value` lines labelled with the variables behind them (what `flagstack config` prints).
import type { AppConfig } from './app-config';
import { RUNTIME_ENV_VARS } from './env-schema';
import { loadConfig } from './load';
import { MASK, NOT_SET, maskUrl } from './mask';
import type { Env } from './read-env';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** AppConfig as JSON, secrets replaced by `********` (set) or `(not set)`, unset values as null. */
export type DescribedConfig = { [key: string]: JsonValue };

function isAppConfig(input: AppConfig | Env): input is AppConfig {
  const c = input as Partial<AppConfig>;
  return typeof c.port === 'number' && typeof c.database === 'object' && c.database !== null;
}

export function describeConfig(input: AppConfig | Env): DescribedConfig {
  const config = isAppConfig(input) ? input : loadConfig(input);
  const copy = toJson(config) as DescribedConfig;
  for (const v of RUNTIME_ENV_VARS) {
    if (!v.secret) continue;
    const parentPath = v.configPath.split('.');
    const key = parentPath.pop() as string;
    const parent = parentPath.reduce<JsonValue | undefined>(
      (node, k) => (node && typeof node === 'object' && !Array.isArray(node) ? node[k] : undefined),
      copy,
    );
    if (!parent || typeof parent !== 'object' || Array.isArray(parent) || !(key in parent)) continue;
    const value = parent[key];
    if (value === null) parent[key] = NOT_SET;
    else if (typeof value === 'string' && value !== MASK && value !== NOT_SET) {
      parent[key] = v.configPath === 'database.url' ? maskUrl(value) : MASK;
    }
  }
  return copy;
}

function toJson(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]));
  }
  return value as JsonValue;
}

export interface DescribedLine {
  /** Dotted AppConfig path, e.g. `database.url`. */
  key: string;
  value: string;
  /** Variables that set this key; empty for derived keys. */
  variables: string[];
  /** `env` when one of the variables is set; `default` or `unset` when none is; `derived` for computed keys. */
  source: 'env' | 'default' | 'unset' | 'derived';
}

/** describeConfig flattened to one line per key (arrays and records as JSON), with the variables behind it. */
export function describeConfigLines(config: AppConfig, env: Env): DescribedLine[] {
  const described = describeConfig(config);
  const byPath = new Map<string, string[]>();
  for (const v of RUNTIME_ENV_VARS) byPath.set(v.configPath, [...(byPath.get(v.configPath) ?? []), v.name]);
  const lines: DescribedLine[] = [];
  const walk = (node: JsonValue, path: string): void => {
    const variables = byPath.get(path);
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && !variables && path !== 'secretArns') {
      for (const [k, child] of Object.entries(node)) walk(child, path ? `${path}.${k}` : k);
      return;
    }
    const set = (variables ?? []).filter((n) => env[n] !== undefined && env[n]?.trim() !== '');
    lines.push({
      key: path,
      value: node === null ? NOT_SET : typeof node === 'string' ? node : JSON.stringify(node),
      variables: variables ?? [],
      source: !variables ? 'derived' : set.length > 0 ? 'env' : node === null ? 'unset' : 'default',
    });
  };
  walk(described, '');
  return lines;
}
