// Request builders of the SAML admin routes for the permission matrix (route-requests.ts spreads them into its table).
// One SAML configuration with a mapping in the matrix organisation serves reads, updates and denied callers; allowed
// callers of creating and deleting routes get disposable objects of their own.
import type { Builder, MatrixContext } from './route-requests';

let n = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++n}`;
const S = '/api/v1/auth/saml';
const FRONTEND = 'https://flags.example.com/';

let fixture: Promise<{ name: string; id: number; mappingId: number }> | undefined;

/** The matrix organisation's SAML configuration and one mapping, made once per run. */
function samlFixture(c: MatrixContext): Promise<{ name: string; id: number; mappingId: number }> {
  fixture ??= (async () => {
    const config = await c.admin('POST', `${S}/configuration/`, { name: unique('matrix-saml'), organisation: c.fx.orgId, frontend_url: FRONTEND });
    const mapping = await c.admin('POST', `${S}/attribute-mapping/`, { saml_configuration: config.id, django_attribute_name: 'email', idp_attribute_name: 'mail' });
    return { name: config.name, id: config.id, mappingId: mapping.id };
  })();
  return fixture;
}

const disposableConfiguration = async (c: MatrixContext) =>
  c.admin('POST', `${S}/configuration/`, { name: unique('doomed-saml'), organisation: c.fx.orgId, frontend_url: FRONTEND }) as Promise<{ id: number; name: string }>;

export const samlRouteRequests: Record<string, Builder> = {
  [`GET ${S}/configuration/`]: () => ({ path: `${S}/configuration/` }),
  [`POST ${S}/configuration/`]: (c) => ({ path: `${S}/configuration/`, body: { name: unique('saml'), organisation: c.fx.orgId, frontend_url: FRONTEND } }),
  [`GET ${S}/configuration/:name/`]: async (c) => ({ path: `${S}/configuration/${(await samlFixture(c)).name}/` }),
  [`PUT ${S}/configuration/:name/`]: async (c) => ({ path: `${S}/configuration/${(await samlFixture(c)).name}/`, body: { frontend_url: FRONTEND, allow_idp_initiated: false } }),
  [`PATCH ${S}/configuration/:name/`]: async (c) => ({ path: `${S}/configuration/${(await samlFixture(c)).name}/`, body: { want_response_signed: false } }),
  [`DELETE ${S}/configuration/:name/`]: async (c) => ({ path: `${S}/configuration/${c.allowed ? (await disposableConfiguration(c)).name : (await samlFixture(c)).name}/` }),
  [`GET ${S}/attribute-mapping/`]: () => ({ path: `${S}/attribute-mapping/` }),
  [`POST ${S}/attribute-mapping/`]: async (c) => ({
    path: `${S}/attribute-mapping/`,
    // One mapping per field and configuration: each allowed caller maps on a configuration of its own.
    body: { saml_configuration: c.allowed ? (await disposableConfiguration(c)).id : (await samlFixture(c)).id, django_attribute_name: 'groups', idp_attribute_name: 'memberOf' },
  }),
  [`GET ${S}/attribute-mapping/:id/`]: async (c) => ({ path: `${S}/attribute-mapping/${(await samlFixture(c)).mappingId}/` }),
  [`PUT ${S}/attribute-mapping/:id/`]: async (c) => {
    const f = await samlFixture(c);
    return { path: `${S}/attribute-mapping/${f.mappingId}/`, body: { saml_configuration: f.id, django_attribute_name: 'email', idp_attribute_name: 'mail' } };
  },
  [`PATCH ${S}/attribute-mapping/:id/`]: async (c) => ({ path: `${S}/attribute-mapping/${(await samlFixture(c)).mappingId}/`, body: { idp_attribute_name: 'mail' } }),
  [`DELETE ${S}/attribute-mapping/:id/`]: async (c) => {
    if (!c.allowed) return { path: `${S}/attribute-mapping/${(await samlFixture(c)).mappingId}/` };
    const config = await disposableConfiguration(c);
    const mapping = await c.admin('POST', `${S}/attribute-mapping/`, { saml_configuration: config.id, django_attribute_name: 'last_name', idp_attribute_name: 'sn' });
    return { path: `${S}/attribute-mapping/${mapping.id}/` };
  },
};
