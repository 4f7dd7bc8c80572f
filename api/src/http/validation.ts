// Two validators: request bodies are checked strictly (no type coercion, unknown fields refused, so a wrong type is
// a 400 rather than a silent conversion); query strings and path parameters are coerced, since they arrive as text.
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, ...options });
  addFormats(ajv);
  // RFC 3339 allows a leap second (23:59:60), which JavaScript dates cannot hold: services would get an Invalid Date.
  const dateTime = ajv.formats['date-time'] as { validate: (s: string) => boolean; compare?: (a: string, b: string) => number | undefined };
  ajv.addFormat('date-time', { type: 'string', compare: dateTime.compare, validate: (s: string) => dateTime.validate(s) && !Number.isNaN(Date.parse(s)) });
  return ajv;
}

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false, removeAdditional: false });
  const coercing = makeAjv({ coerceTypes: 'array', removeAdditional: false });
  // Each route's validator is compiled on its first request, not when the app starts: compiling every route's
  // schemas up front took ~1.3 s of CPU, all of it on the cold start of a function (issue 3, bench/coldstart).
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown) => {
      compiled ??= ajv.compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate as ReturnType<FastifySchemaCompiler<unknown>>;
  };
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
