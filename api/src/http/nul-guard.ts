// Refuses the NUL character (U+0000) anywhere in a request's body, query string or path parameters with a 400 that
// names the field. PostgreSQL cannot store NUL in text at all (the insert fails: a 500, and a request that other
// databases would have stored differently), and no flag name, identifier, trait, email or description needs one.
// It runs after schema validation (preHandler), so a body of the wrong shape gets the schema's field errors first.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../domain/errors';

const MAX_DEPTH = 32;

/** The path of the first string (or object key) holding a NUL, like `traits.0.trait_value`; undefined when none. */
export function findNul(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'non_field_errors' : undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    // Items of a top-level list (bulk bodies) are named by their own fields, as their validation errors are.
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], path ? `${path}.${i}` : '', depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return here;
    const found = findNul(inner, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const field = findNul(req.params) ?? findNul(req.query) ?? findNul(req.body);
    if (field) throw ValidationError.field(field, 'Must not contain the NUL character (\\u0000).');
  });
}
