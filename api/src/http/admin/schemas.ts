// Schema pieces shared by the admin routes. Bodies refuse unknown fields; ids in paths are positive integers.
import { Type, type TObject, type TProperties } from '@sinclair/typebox';

export const strictObject = <T extends TProperties>(properties: T): TObject<T> => Type.Object(properties, { additionalProperties: false });

export const IdParam = strictObject({ id: Type.Integer({ minimum: 1 }) });
export const ProjectParam = strictObject({ project_pk: Type.Integer({ minimum: 1 }) });
export const ProjectChildParam = strictObject({ project_pk: Type.Integer({ minimum: 1 }), id: Type.Integer({ minimum: 1 }) });
export const EnvParam = strictObject({ env_key: Type.String({ minLength: 1, maxLength: 100 }) });
export const EnvChildParam = strictObject({ env_key: Type.String({ minLength: 1, maxLength: 100 }), id: Type.Integer({ minimum: 1 }) });

export const Name = Type.String({ minLength: 1, maxLength: 2000 });
export const NullableString = (max: number) => Type.Union([Type.String({ maxLength: max }), Type.Null()]);
export const FlagValueSchema = Type.Union([Type.String({ maxLength: 20_000 }), Type.Integer(), Type.Number(), Type.Boolean(), Type.Null()]);
export const DateTime = Type.String({ format: 'date-time' });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })),
};

export function pageOf(query: { page?: number; page_size?: number }) {
  return { page: query.page ?? 1, pageSize: query.page_size ?? 10 };
}

/** The version a writer last saw, from an `If-Match: "<version>"` header. */
export function ifMatchVersion(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['if-match'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!text) return undefined;
  const n = Number(text.replace(/^W\//, '').replace(/"/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}
