// FS-DB1 (no public database endpoint) and FS-TLS1 (TLS required to the database and on every endpoint).
import { blocks, get, references, resourcesOf, type ResourceRef } from '../tf-json';
import { finding, type PolicyRule, type Finding } from './rule';

export const noPublicDatabase: PolicyRule = {
  id: 'FS-DB1',
  title: 'no public database endpoint',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-DB1', r.address, m));
    for (const r of resourcesOf(json, 'azurerm_postgresql_flexible_server')) {
      if (r.props.public_network_access_enabled !== false) f(r, 'public_network_access_enabled must be false');
      if (!r.props.delegated_subnet_id) f(r, 'must be injected into a delegated subnet (delegated_subnet_id)');
    }
    for (const r of resourcesOf(json, 'azurerm_mysql_flexible_server')) {
      if (r.props.public_network_access !== 'Disabled') f(r, 'public_network_access must be Disabled');
      if (!r.props.delegated_subnet_id) f(r, 'must be injected into a delegated subnet (delegated_subnet_id)');
    }
    for (const r of resourcesOf(json, 'azurerm_mssql_server')) {
      if (r.props.public_network_access_enabled !== false) f(r, 'public_network_access_enabled must be false');
      if (!resourcesOf(json, 'azurerm_private_endpoint').some((pe) => references(pe.props.private_service_connection, r.address))) {
        f(r, 'must be reached through a private endpoint');
      }
    }
    for (const type of ['azurerm_postgresql_flexible_server_firewall_rule', 'azurerm_mysql_flexible_server_firewall_rule', 'azurerm_mssql_firewall_rule', 'azurerm_mssql_virtual_network_rule']) {
      for (const r of resourcesOf(json, type)) f(r, 'database firewall rules open the server; the kit uses private access only');
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      const ip = get(r.props, 'settings.ip_configuration');
      if (get(ip, 'ipv4_enabled') !== false) f(r, 'settings.ip_configuration.ipv4_enabled must be false (private IP only)');
      if (!get(ip, 'private_network')) f(r, 'settings.ip_configuration.private_network must be set');
      if (blocks(get(ip, 'authorized_networks')).length > 0) f(r, 'authorized_networks must be empty');
    }
    return out;
  },
};

const TLS_VERSIONS_OK = /^TLSv1\.[23]$/;

export const tlsRequired: PolicyRule = {
  id: 'FS-TLS1',
  title: 'TLS required',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-TLS1', r.address, m));
    const pgConfigs = resourcesOf(json, 'azurerm_postgresql_flexible_server_configuration');
    for (const r of resourcesOf(json, 'azurerm_postgresql_flexible_server')) {
      const setting = (name: string) => pgConfigs.find((c) => c.props.name === name && references(c.props.server_id, r.address))?.props.value;
      if (setting('require_secure_transport') !== 'on') f(r, 'require_secure_transport must be on');
      const min = setting('ssl_min_protocol_version');
      if (typeof min !== 'string' || !TLS_VERSIONS_OK.test(min)) f(r, 'ssl_min_protocol_version must be TLSv1.2 or TLSv1.3');
    }
    const myConfigs = resourcesOf(json, 'azurerm_mysql_flexible_server_configuration');
    for (const r of resourcesOf(json, 'azurerm_mysql_flexible_server')) {
      const setting = (name: string) => myConfigs.find((c) => c.props.name === name && references(c.props.server_name, r.address))?.props.value;
      if (setting('require_secure_transport') !== 'ON') f(r, 'require_secure_transport must be ON');
      const versions = setting('tls_version');
      if (typeof versions !== 'string' || versions.split(',').some((v) => !TLS_VERSIONS_OK.test(v.trim()))) f(r, 'tls_version must allow TLSv1.2/TLSv1.3 only');
    }
    for (const r of resourcesOf(json, 'azurerm_mssql_server')) {
      if (r.props.minimum_tls_version !== '1.2' && r.props.minimum_tls_version !== '1.3') f(r, 'minimum_tls_version must be 1.2 or higher');
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      const mode = get(r.props, 'settings.ip_configuration.ssl_mode');
      if (mode !== 'ENCRYPTED_ONLY' && mode !== 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED') f(r, 'settings.ip_configuration.ssl_mode must require SSL');
    }
    for (const r of resourcesOf(json, 'azurerm_storage_account')) {
      if (r.props.min_tls_version !== 'TLS1_2') f(r, 'min_tls_version must be TLS1_2');
      if (r.props.https_traffic_only_enabled === false) f(r, 'https_traffic_only_enabled must not be false');
    }
    for (const r of resourcesOf(json, 'azurerm_linux_function_app')) {
      if (r.props.https_only !== true) f(r, 'https_only must be true');
      if (get(r.props, 'site_config.minimum_tls_version') !== '1.2') f(r, 'site_config.minimum_tls_version must be 1.2');
      if (get(r.props, 'site_config.ftps_state') !== 'Disabled') f(r, 'site_config.ftps_state must be Disabled');
    }
    for (const r of resourcesOf(json, 'azurerm_container_app')) {
      if (get(r.props, 'ingress.allow_insecure_connections') !== false) f(r, 'ingress.allow_insecure_connections must be false');
    }
    return out;
  },
};

/** Resource types that keep data at rest, all encrypted by their platform (AES-256, platform-managed keys, no off switch). */
