// FS-DEL1 (deletion protection when the environment asks for it) and FS-BAK1 (automated database backups).
import { get, references, resourcesOf, type ResourceRef } from '../tf-json';
import { finding, type PolicyRule, type Finding, type Severity } from './rule';

export const deletionProtection: PolicyRule = {
  id: 'FS-DEL1',
  title: 'deletion protection in prod',
  check(json, options) {
    if (!options.deletionProtection) return [];
    const out: Finding[] = [];
    const locks = resourcesOf(json, 'azurerm_management_lock').filter((l) => l.props.lock_level === 'CanNotDelete');
    for (const type of ['azurerm_postgresql_flexible_server', 'azurerm_mysql_flexible_server', 'azurerm_mssql_server']) {
      for (const r of resourcesOf(json, type)) {
        if (!locks.some((l) => references(l.props.scope, r.address))) out.push(finding('FS-DEL1', r.address, 'needs a CanNotDelete management lock'));
      }
    }
    for (const r of resourcesOf(json, 'azurerm_key_vault')) {
      if (r.props.purge_protection_enabled !== true) out.push(finding('FS-DEL1', r.address, 'purge_protection_enabled must be true'));
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      if (r.props.deletion_protection !== true) out.push(finding('FS-DEL1', r.address, 'deletion_protection must be true'));
      if (get(r.props, 'settings.deletion_protection_enabled') !== true) out.push(finding('FS-DEL1', r.address, 'settings.deletion_protection_enabled must be true'));
    }
    return out;
  },
};

export const backups: PolicyRule = {
  id: 'FS-BAK1',
  title: 'automated database backups',
  check(json, options) {
    const out: Finding[] = [];
    const severity: Severity = options.deletionProtection ? 'error' : 'warning';
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-BAK1', r.address, m, severity));
    for (const r of resourcesOf(json, 'azurerm_postgresql_flexible_server')) if (!(Number(r.props.backup_retention_days) >= 7)) f(r, 'backup_retention_days must be at least 7');
    for (const r of resourcesOf(json, 'azurerm_mysql_flexible_server')) if (!(Number(r.props.backup_retention_days) >= 1)) f(r, 'backup_retention_days must be at least 1');
    for (const r of resourcesOf(json, 'azurerm_mssql_database')) {
      if (!(Number(get(r.props, 'short_term_retention_policy.retention_days')) >= 1)) f(r, 'short_term_retention_policy.retention_days must be at least 1');
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      if (get(r.props, 'settings.backup_configuration.enabled') !== true) f(r, 'settings.backup_configuration.enabled must be true');
    }
    return out;
  },
};

/** Azure roles the kit assigns, each to one kind of principal, always scoped to one vault or storage account. */
