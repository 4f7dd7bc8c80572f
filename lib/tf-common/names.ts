// Resource names for the CDKTF stacks. Each cloud limits names differently (length, characters); a name that is too
// long keeps its start and ends with a hash of the whole, so two long names still differ and a name never changes
// between synths (a changed name replaces the resource).
import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config';

export function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export interface NameRules {
  /** Longest allowed name. */
  max: number;
  /** Join character; '' for names that allow letters and digits only (Azure storage accounts). */
  separator?: '-' | '';
}

/** Lower-case letters, digits and the separator; starts with a letter, never ends with the separator. */
export function boundedName(parts: readonly string[], rules: NameRules): string {
  const sep = rules.separator ?? '-';
  const clean = (s: string) => s.toLowerCase().replace(sep === '' ? /[^a-z0-9]/g : /[^a-z0-9-]/g, sep === '' ? '' : '-');
  let name = parts.map(clean).filter((p) => p !== '').join(sep).replace(/-+/g, '-');
  if (!/^[a-z]/.test(name)) name = `f${sep}${name}`;
  if (name.length > rules.max) {
    const hash = shortHash(name);
    name = `${name.slice(0, rules.max - hash.length - sep.length).replace(/-+$/, '')}${sep}${hash}`;
  }
  return name.replace(/-+$/, '');
}

/** `<project>-<environment>`: the stem of every resource name of an environment. */
export function stem(env: Pick<EnvironmentConfig, 'project' | 'name'>): string {
  return `${env.project}-${env.name}`;
}

/** The stack name of an environment (what `cdktf deploy <stack>` takes). */
export function stackName(env: Pick<EnvironmentConfig, 'project' | 'name'>): string {
  return stem(env);
}

/** Tags on every Azure resource: the configured ones plus the environment's identity. */
export function azureTags(env: EnvironmentConfig): Record<string, string> {
  return { ...env.tags, 'flagstack-project': env.project, 'flagstack-environment': env.name };
}

/** GCP labels: lower-case keys and values of letters, digits, _ and -; keys start with a letter; at most 63 chars. */
export function gcpLabels(env: EnvironmentConfig): Record<string, string> {
  const label = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env.tags)) {
    const key = label(k);
    out[/^[a-z]/.test(key) ? key : `l${key}`.slice(0, 63)] = label(v);
  }
  out['flagstack-project'] = label(env.project);
  out['flagstack-environment'] = label(env.name);
  return out;
}
