// Two validators: request bodies are checked strictly (no type coercion, unknown fields refused, so a wrong type is
// a 400 rather than a silent conversion); query strings and path parameters are coerced, since they arrive as text.
//
// Ajv (with ajv-formats and fast-uri, ~215 KB minified) is loaded on the first request that needs validating, not at
// start: the SDK's read routes declare no schema, so a function's cold start never loads it, and the function builds
// keep it in files of their own (scripts/build.ts, LAZY_CHUNKS). For the same reason the app gives Fastify its schema
// compilers itself (schemaCompilers), so Fastify does not load @fastify/ajv-compiler and fast-json-stringify at start.
import type Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

function makeAjv(options: Options): Ajv {
  // Synchronous by necessity (a validator is called synchronously); a plain require, which esbuild keeps lazy.
  const AjvClass = (require('ajv') as typeof import('ajv')).default;
  const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  const ajv = new AjvClass({ allErrors: true, strict: false, useDefaults: true, ...options });
  addFormats(ajv);
  // RFC 3339 allows a leap second (23:59:60), which JavaScript dates cannot hold: services would get an Invalid Date.
  const dateTime = ajv.formats['date-time'] as { validate: (s: string) => boolean; compare?: (a: string, b: string) => number | undefined };
  ajv.addFormat('date-time', { type: 'string', compare: dateTime.compare, validate: (s: string) => dateTime.validate(s) && !Number.isNaN(Date.parse(s)) });
  return ajv;
}

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  let strict: Ajv | undefined;
  let coercing: Ajv | undefined;
  // Each route's validator is compiled on its first request, not when the app starts: compiling every route's
  // schemas up front took ~1.3 s of CPU, all of it on the cold start of a function (issue 3, bench/coldstart).
  return ({ schema, httpPart }) => {
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown) => {
      const ajv = httpPart === 'body' ? (strict ??= makeAjv({ coerceTypes: false, removeAdditional: false })) : (coercing ??= makeAjv({ coerceTypes: 'array', removeAdditional: false }));
      compiled ??= ajv.compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}

/**
 * Fastify's `schemaController` option: without it Fastify loads @fastify/ajv-compiler (Ajv) and
 * @fastify/fast-json-stringify-compiler (fast-json-stringify) when the instance is created. Validation is ours
 * (validatorCompiler, set on the app); a serializer is only built for a route that declares a response schema, and
 * then Fastify's own compiler is loaded.
 */
export function schemaCompilers(): NonNullable<FastifyServerOptions['schemaController']> {
  const validators = validatorCompiler();
  type BuildSerializer = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>;
  const buildSerializer: BuildSerializer = (externalSchemas, serializerOptions) => {
    const { SerializerSelector } = require('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => BuildSerializer };
    return SerializerSelector()(externalSchemas, serializerOptions);
  };
  // (Fastify types buildValidator after its own Ajv pool; ours takes the same route definitions.)
  return { compilersFactory: { buildValidator: (() => validators) as never, buildSerializer } };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns a JSON pointer into the field path users see: `/multivariate_options/0/type` → `multivariate_options[0].type`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** DRF-style field errors: `{ "<field>": ["message"] }`. */
export function fieldErrors(issues: AjvIssue[], context: string): Record<string, string[]> {
  // No prototype: a field named `constructor` or `__proto__` must not reach Object.prototype's members.
  const out: Record<string, string[]> = Object.create(null);
  for (const issue of issues) {
    let field = fieldPath(issue.instancePath);
    let message: string;
    switch (issue.keyword) {
      case 'required':
        field = [field, String(issue.params.missingProperty)].filter(Boolean).join('.');
        message = 'This field is required.';
        break;
      case 'additionalProperties':
        field = [field, String(issue.params.additionalProperty)].filter(Boolean).join('.');
        message = 'Unknown field.';
        break;
      case 'type':
        message = `Expected ${String(issue.params.type).replace(',', ' or ')}.`;
        break;
      case 'maxLength':
        message = `Ensure this field has no more than ${issue.params.limit} characters.`;
        break;
      case 'minLength':
        message = Number(issue.params.limit) === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${issue.params.limit} characters.`;
        break;
      default:
        message = issue.message ? issue.message.charAt(0).toUpperCase() + issue.message.slice(1) + '.' : 'Invalid value.';
    }
    const key = field || (context === 'body' ? 'non_field_errors' : context);
    (out[key] ??= []).push(message);
  }
  return out;
}
