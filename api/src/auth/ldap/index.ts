// LDAP / Active Directory without a connection: login names, bind names, search filters, attribute mapping, DNs.
// The parts that talk to a directory are in services/ldap (login, sync).
export * from './dn';
export * from './username';
export * from './filters';
export * from './attributes';
