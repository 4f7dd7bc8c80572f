// What every policy rule is made of: a finding (rule id, severity, resource, message) and the rule's shape.
import type { TerraformJson } from '../tf-json';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  /** `type.name` of the offending resource, or `output.name`. */
  resource: string;
  message: string;
}

export interface PolicyOptions {
  /** The environment asks for deletion protection (prod by default). */
  deletionProtection: boolean;
}

export interface PolicyRule {
  id: string;
  title: string;
  check(json: TerraformJson, options: PolicyOptions): Finding[];
}

export const finding = (rule: string, resource: string, message: string, severity: Severity = 'error'): Finding => ({ rule, severity, resource, message });

export const DATABASE_SERVERS = ['azurerm_postgresql_flexible_server', 'azurerm_mysql_flexible_server', 'azurerm_mssql_server', 'google_sql_database_instance'];
