// Trait values as Core keeps them: integer, float, boolean or string. Floats are written with a fraction (`5.0`) in
// storage, so that a float trait stays a float — the engine treats 5 and 5.0 differently (FLAGSMITH-COMPAT.md §2.9).

export type TraitValue = string | number | boolean | TraitFloat;

/** A float-typed trait value whose number happens to be whole (5.0); fractional numbers are floats anyway. */
export class TraitFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export function isFloatTrait(value: TraitValue): boolean {
  return value instanceof TraitFloat || (typeof value === 'number' && !Number.isInteger(value));
}

export function encodeTraitValue(value: TraitValue): string {
  if (value instanceof TraitFloat) return Number.isInteger(value.value) ? `${value.value}.0` : JSON.stringify(value.value);
  return JSON.stringify(value);
}

export function decodeTraitValue(text: string): TraitValue {
  // A whole number written with a fraction was a float.
  if (/^-?\d+\.0+$/.test(text)) return new TraitFloat(Number(text));
  return JSON.parse(text) as TraitValue;
}

/** The plain JSON value of a trait, for responses. */
export function plainTraitValue(value: TraitValue): string | number | boolean {
  return value instanceof TraitFloat ? value.value : value;
}
