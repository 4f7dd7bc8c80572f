// SDK bodies keep Python's int/float distinction: a trait sent as 5.0 is a float in Core, and the engine treats it
// differently from 5 (FLAGSMITH-COMPAT.md §2.9). JSON.parse cannot tell them apart, so a body holding a whole-number
// float literal is read with the engine's lossless reader instead; every other body takes the fast JSON.parse path.
import type { FastifyInstance } from 'fastify';
import { parseJson, PyFloat } from '../../engine';
import { TraitFloat } from '../../domain/traits';

// A number literal with a fraction of zeros or an exponent, e.g. 5.0, 1e3, 2.50E+1.
const WHOLE_FLOAT_LITERAL = /[0-9](?:\.0+(?![0-9])|(?:\.[0-9]+)?[eE])/;

function toPlain(value: unknown): unknown {
  if (value instanceof PyFloat) return Number.isInteger(value.value) ? new TraitFloat(value.value) : value.value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k] = toPlain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

export function parseSdkJson(text: string): unknown {
  if (!WHOLE_FLOAT_LITERAL.test(text)) return JSON.parse(text);
  return toPlain(parseJson(text));
}

export function registerSdkJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    try {
      done(null, parseSdkJson(text));
    } catch (error) {
      const err = error as Error & { statusCode?: number; code?: string };
      err.statusCode = 400;
      err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(err, undefined);
    }
  });
}
