// Instance administration of sign-in, loaded on demand (only instance admins open it, so it stays out of the main
// bundle): SAML configurations per organisation, OIDC/GitHub providers, and the LDAP settings, read-only.
export { SsoOverview } from './overview';
export { SamlConfigurationScreen } from './saml';
export { OidcProviderScreen } from './oidc';
export { LdapSettings } from './ldap';
