// Python tells ints from floats; JavaScript numbers do not. The engine must, because a float trait casts condition
// values with float() while an int trait uses int() (so "5.5" fails), and str() prints 5.0 where JS prints 5
// (hashing, REGEX, reasons). The convention, used everywhere in the engine:
//   - a JS number that is an integer           -> Python int
//   - a bigint                                 -> Python int beyond 2^53 (the lossless reader makes these)
//   - a JS number that is NOT an integer       -> Python float (1.5, NaN, Infinity)
//   - a PyFloat                                -> Python float, needed for whole floats such as 5.0
// The lossless reader turns every number written with a fraction or an exponent into a PyFloat.

/** A Python float. Only needed for whole values (5.0); fractional JS numbers are floats already. */
export class PyFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  valueOf(): number {
    return this.value;
  }

  /** Python's `str()`/`repr()` form: `5.0`, `1e+16`, `inf`. */
  toString(): string {
    return pyFloatRepr(this.value);
  }

  // JSON.stringify cannot write 5.0; it falls back to the number. Use stringifyJson() to keep the float form.
  toJSON(): number {
    return this.value;
  }
}

/** Marks a number as a Python float (the constructor servers use for float traits read from storage). */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** A scalar as Python sees it after JSON decoding. */
export type JsonPrimitive = string | number | bigint | boolean | null | PyFloat;

/**
 * Any JSON value. Objects are Maps (what the lossless reader makes, keeping key order) or plain objects (what code
 * builds; integer-like keys then iterate first, as JavaScript orders them).
 */
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export type JsonObject = ReadonlyMap<string, JsonValue> | { readonly [key: string]: JsonValue };

export function isFloat(value: unknown): value is number | PyFloat {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

export function isInt(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** True for the values Python's engine accepts as context values (str, int, float, bool); null is "not set". */
export function isPrimitive(value: unknown): value is Exclude<JsonPrimitive, null> {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint' || value instanceof PyFloat;
}

/** Plain object (not a Map, array, PyFloat or null). */
export function isPlainObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof PyFloat);
}

/** Python `repr(float)`: the shortest round-trip digits, scientific below 1e-4 and from 1e16, always with a dot or exponent. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, exponent } = shortestDigits(Math.abs(x));
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    const expDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${expSign}${expDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intLen = exponent + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Python `str(int)`: JS switches to exponent form from 1e21, Python never does. */
export function pyIntStr(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (Math.abs(value) < 1e21) return String(value === 0 ? 0 : value);
  return BigInt(value).toString();
}

/** Significant digits and decimal exponent (d.ddd × 10^exponent) of the shortest round-trip form of x > 0. */
function shortestDigits(x: number): { digits: string; exponent: number } {
  // V8's ToString already produces the shortest round-trip digits (as Python's repr does); only the layout differs.
  const text = String(x);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  let exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fracPart = dot < 0 ? '' : mantissa.slice(dot + 1);
  let digits = intPart + fracPart;
  exponent += intPart.length - 1;
  let lead = 0;
  while (lead < digits.length - 1 && digits[lead] === '0') lead++;
  digits = digits.slice(lead);
  exponent -= lead;
  let end = digits.length;
  while (end > 1 && digits[end - 1] === '0') end--;
  return { digits: digits.slice(0, end), exponent };
}
