// Read-only instance settings the admin UI shows. LDAP is configured by environment variables only (Flagsmith's
// LDAP_AUTH_* names), so the UI can show but not change it; secrets come back masked (describeConfig masks them).
import { describeConfigLines, loadConfig, type AppConfig } from '../../config';
import { defineRoutes } from '../admin-route';

export interface SettingLine {
  key: string;
  value: string;
  variables: string[];
  source: 'env' | 'default' | 'unset' | 'derived';
}

/** The `ldap.*` lines of the effective configuration, secrets masked. */
export function ldapSettings(config: AppConfig | undefined, env: NodeJS.ProcessEnv = process.env): { enabled: boolean; settings: SettingLine[] } {
  const effective = config ?? loadConfig({});
  const lines = describeConfigLines(effective, env as Record<string, string | undefined>).filter((l) => l.key.startsWith('ldap.'));
  return { enabled: effective.ldap.enabled, settings: lines.map((l) => ({ ...l, key: l.key.slice('ldap.'.length) })) };
}

export const uiSettingsRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/auth/ldap/settings/', tag: 'auth', summary: 'LDAP settings (from LDAP_AUTH_* variables; read-only, secrets masked)', permission: 'INSTANCE_ADMIN',
    handler: async (r) => ldapSettings(r.deps.config),
  },
]);
