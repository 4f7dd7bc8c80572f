// Writing JSON text and plain values from engine values. JSON.stringify would print the float 5.0 as 5 and cannot
// write a Map or a bigint.

import { PyFloat, isPlainObject, pyFloatRepr, pyIntStr } from './values';

/**
 * Writes JSON text the way Python's json.dumps prints numbers: floats keep a fraction or exponent (5.0, 1e+16,
 * NaN, Infinity), ints never use an exponent. Maps and plain objects keep their iteration order.
 */
export function stringifyJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      out.push(Number.isInteger(value) ? pyIntStr(value) : floatJson(value));
      return;
    default:
      break;
  }
  if (value instanceof PyFloat) {
    out.push(floatJson(value.value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out);
    }
    out.push(']');
  } else if (value instanceof Map) {
    writeEntries(value.entries(), out);
  } else if (isPlainObject(value)) {
    writeEntries(Object.entries(value), out);
  } else {
    throw new TypeError(`cannot write ${Object.prototype.toString.call(value)} as JSON`);
  }
}

function writeEntries(entries: Iterable<[unknown, unknown]>, out: string[]): void {
  out.push('{');
  let first = true;
  for (const [key, item] of entries) {
    if (item === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(String(key)), ':');
    write(item, out);
  }
  out.push('}');
}

function floatJson(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

/** Converts to plain JSON-compatible JS: Maps become objects, floats and big ints become numbers (5.0 reads as 5). */
export function toPlainValue(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (value instanceof Map) {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of value) setOwn(obj, String(k), toPlainValue(v));
    return obj;
  }
  if (isPlainObject(value)) {
    const obj: Record<string, unknown> = {};
    for (const k of Object.keys(value)) setOwn(obj, k, toPlainValue(value[k]));
    return obj;
  }
  return value;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // A "__proto__" key must become data, not the object's prototype.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
