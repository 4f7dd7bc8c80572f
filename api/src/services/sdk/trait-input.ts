// Reads SDK trait input the tolerant way Core's TraitValueField does (FLAGSMITH-COMPAT.md §1.4).
import { createHash, randomUUID } from 'node:crypto';
import { ValidationError } from '../../domain/errors';
import { pythonStr } from '../../domain/python-str';
import { encodeTraitValue, plainTraitValue, TraitFloat, type TraitValue } from '../../domain/traits';

export const MAX_TRAIT_VALUE_LENGTH = 2000;
export const MAX_TRAIT_KEY_LENGTH = 200;

export interface TraitInput {
  key: string;
  /** null deletes the stored trait. */
  value: TraitValue | null;
  transient: boolean;
}

/** Converts one incoming trait value: scalars keep their type, lists and objects become Python's str() of them. */
export function toTraitValue(raw: unknown, field: string): TraitValue | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof TraitFloat) return raw;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw ValidationError.field(field, 'Must be a finite number.');
    return raw;
  }
  if (typeof raw === 'boolean') return raw;
  // Every level of a list or object adds at least two characters to its str(): deeper ones are too long anyway, and
  // are refused before pythonStr recurses through them (a deep enough value would overflow the stack).
  if (typeof raw === 'object' && nestedDeeperThan(raw, MAX_TRAIT_VALUE_LENGTH / 2)) {
    throw ValidationError.field(field, `Ensure this value has at most ${MAX_TRAIT_VALUE_LENGTH} characters.`);
  }
  const text = typeof raw === 'string' ? raw : pythonStr(raw);
  if (text.length > MAX_TRAIT_VALUE_LENGTH) throw ValidationError.field(field, `Ensure this value has at most ${MAX_TRAIT_VALUE_LENGTH} characters (it has ${text.length}).`);
  return text;
}

function nestedDeeperThan(value: object, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export function toTraitKey(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw ValidationError.field(field, 'A non-empty string is required.');
  if (raw.length > MAX_TRAIT_KEY_LENGTH) throw ValidationError.field(field, `Ensure this field has at most ${MAX_TRAIT_KEY_LENGTH} characters.`);
  return raw;
}

export function parseTraitList(raw: unknown, field = 'traits'): TraitInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw ValidationError.field(field, 'Expected a list of traits.');
  return raw.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw ValidationError.field(`${field}[${i}]`, 'Expected an object with trait_key and trait_value.');
    const t = item as Record<string, unknown>;
    return {
      key: toTraitKey(t.trait_key, `${field}[${i}].trait_key`),
      value: toTraitValue(t.trait_value, `${field}[${i}].trait_value`),
      transient: t.transient === true,
    };
  });
}

/** Core's identifier for an identity sent without one: SHA-256 of its traits sorted by key, or a random uuid4 hex. */
export function transientIdentifier(traits: TraitInput[]): string {
  const withValues = traits.filter((t) => t.value !== null);
  if (withValues.length === 0) return randomUUID().replace(/-/g, '');
  const text = [...withValues]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((t) => t.key + pythonStr(plainTraitValue(t.value!)))
    .join('');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sameTraitValue(a: TraitValue, b: TraitValue): boolean {
  return encodeTraitValue(a) === encodeTraitValue(b);
}
