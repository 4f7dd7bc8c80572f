// The LDAP settings, read-only, as the API masks them (LDAP is configured by environment variables).
import { get } from '../../api';
import { Loaded, PageHeader, useAsync } from '../../components/ui';
import { Link } from '../../router';
import type { ScreenProps } from '../../routes';
import type { SettingLine } from '../../types';
import { SSO } from './shared';

// ---- LDAP (read-only) -----------------------------------------------------------------------------------------------

export function LdapSettings(_: ScreenProps) {
  const data = useAsync(() => get<{ enabled: boolean; settings: SettingLine[] }>('auth/ldap/settings/'), []);
  return (
    <section>
      <p class="crumb small"><Link href={SSO}>Single sign-on</Link></p>
      <PageHeader title="LDAP" />
      <p class="muted">LDAP is configured with environment variables (Flagsmith's LDAP_AUTH_* names) and is shown here read-only; secrets are masked.</p>
      <Loaded state={data}>
        {(d) => (
          <>
            <p>
              LDAP sign-in is <strong>{d.enabled ? 'on' : 'off'}</strong>
              {!d.enabled && ' (set LDAP_AUTH_URL to turn it on)'}.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  <th scope="col">Value</th>
                  <th scope="col">Variable</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {d.settings.map((s) => (
                  <tr key={s.key}>
                    <td>{s.key}</td>
                    <td class="break"><code>{s.value}</code></td>
                    <td><code>{s.variables.join(', ')}</code></td>
                    <td>{s.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </section>
  );
}
