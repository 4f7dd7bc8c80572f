// Reading synthesized Terraform JSON (cdk.tf.json): resources by type, references between them, and every string
// with the path it sits at. The policies and the tests work on this, since nothing here can run `terraform validate`.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, Json>>>;
  data?: Record<string, Record<string, Record<string, Json>>>;
  output?: Record<string, { value: Json; sensitive?: boolean; description?: string }>;
  terraform?: Record<string, Json>;
  provider?: Record<string, Json>;
}

export interface ResourceRef {
  type: string;
  name: string;
  /** `type.name`, as references spell it. */
  address: string;
  props: Record<string, Json>;
}

export function resourcesOf(json: TerraformJson, type: string): ResourceRef[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, props]) => ({ type, name, address: `${type}.${name}`, props }));
}

export function allResources(json: TerraformJson): ResourceRef[] {
  return Object.keys(json.resource ?? {}).flatMap((type) => resourcesOf(json, type));
}

/** Every string inside a value, with its path (`template.container[0].env[3].value`). */
export function stringsIn(value: Json | undefined, path = ''): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsIn(v, path ? `${path}.${k}` : k));
  return [];
}

/** Whether any string in `value` references the resource (`${type.name.…}`). */
export function references(value: Json | undefined, address: string): boolean {
  return stringsIn(value).some((s) => s.value.includes(`\${${address}.`));
}

/** Reads a nested value by a dotted path; arrays of one block are stepped through (Terraform's nesting blocks). */
export function get(value: Json | undefined, path: string): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) current = current[0];
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A block that may be written as an object or a list of objects, as a list. */
export function blocks(value: Json | undefined): Record<string, Json>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v));
}
