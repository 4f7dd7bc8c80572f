// The single sign-on overview: SAML configurations, OIDC providers and LDAP at a glance (instance admins).
import { get } from '../../api';
import { Loaded, PageHeader, useAsync } from '../../components/ui';
import { Link } from '../../router';
import type { ScreenProps } from '../../routes';
import type { Organisation } from '../../types';
import { type SamlConfiguration, type OidcProvider, SSO, orgName, SecretBadge } from './shared';

// ---- overview -----------------------------------------------------------------------------------------------------

export function SsoOverview({ ws }: ScreenProps) {
  const saml = useAsync(() => get<SamlConfiguration[]>('auth/saml/configuration/'), []);
  const oidc = useAsync(() => get<OidcProvider[]>('auth/oidc/providers/'), []);
  const ldap = useAsync(() => get<{ enabled: boolean }>('auth/ldap/settings/'), []);
  return (
    <section>
      <PageHeader title="Single sign-on" />
      <section class="card" aria-labelledby="saml-heading">
        <div class="page-header">
          <h2 id="saml-heading">SAML</h2>
          <Link class="button small" href={`${SSO}/saml/new`}>New SAML configuration</Link>
        </div>
        <p class="muted small">One configuration per identity provider; each signs people in to one organisation.</p>
        <Loaded state={saml}>
          {(list) =>
            list.length === 0 ? (
              <p>No SAML configurations yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Organisation</th>
                    <th scope="col">IdP metadata</th>
                    <th scope="col">IdP-initiated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((c) => (
                    <tr key={c.id}>
                      <td><Link href={`${SSO}/saml/${encodeURIComponent(c.name)}`}>{c.name}</Link></td>
                      <td>{orgName(ws.orgs, c.organisation)}</td>
                      <td>{c.idp_metadata_xml ? 'set' : <span class="badge warn">missing</span>}</td>
                      <td>{c.allow_idp_initiated ? 'allowed' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
      <section class="card" aria-labelledby="oidc-heading">
        <div class="page-header">
          <h2 id="oidc-heading">OpenID Connect and GitHub</h2>
          <Link class="button small" href={`${SSO}/oidc/new`}>New OIDC provider</Link>
        </div>
        <p class="muted small">Providers added here; those set by OIDC_&lt;NAME&gt;_* variables are not listed and cannot be changed here.</p>
        <Loaded state={oidc}>
          {(list) =>
            list.length === 0 ? (
              <p>No providers added yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Issuer</th>
                    <th scope="col">Client secret</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id} data-provider={p.name}>
                      <td><Link href={`${SSO}/oidc/${encodeURIComponent(p.name)}`}>{p.name}</Link></td>
                      <td>{p.kind === 'github' ? 'GitHub' : 'OIDC'}</td>
                      <td class="break">{p.issuer}</td>
                      <td><SecretBadge configured={p.client_secret_configured} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
      <section class="card" aria-labelledby="ldap-heading">
        <h2 id="ldap-heading">LDAP</h2>
        <Loaded state={ldap}>
          {(d) => (
            <p>
              LDAP sign-in is <strong>{d.enabled ? 'on' : 'off'}</strong>. It is configured by environment variables:{' '}
              <Link href="/settings/ldap">see the LDAP settings</Link>.
            </p>
          )}
        </Loaded>
      </section>
    </section>
  );
}
