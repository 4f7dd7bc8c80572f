// The navigation, as data. Each entry names the screen's path for the current organisation / project /
// environment and when it shows. A new screen slots in by adding one entry here and one route in routes.tsx (see
// docs/ui.md), as change requests, scheduled changes, groups, roles and single sign-on did.
export interface NavContext {
  org?: number;
  project?: number;
  env?: string;
  superuser: boolean;
}

export interface NavEntry {
  section: 'Organisation' | 'Project' | 'Environment' | 'Instance';
  label: string;
  href: (c: NavContext) => string | null;
}

export const NAV: NavEntry[] = [
  { section: 'Environment', label: 'Features', href: (c) => (c.project && c.env ? `/projects/${c.project}/environments/${c.env}/features` : null) },
  { section: 'Environment', label: 'Identities', href: (c) => (c.project && c.env ? `/projects/${c.project}/environments/${c.env}/identities` : null) },
  { section: 'Environment', label: 'Change requests', href: (c) => (c.project && c.env ? `/projects/${c.project}/environments/${c.env}/change-requests` : null) },
  { section: 'Environment', label: 'Scheduled changes', href: (c) => (c.project && c.env ? `/projects/${c.project}/environments/${c.env}/scheduled-changes` : null) },
  { section: 'Environment', label: 'SDK keys', href: (c) => (c.project && c.env ? `/projects/${c.project}/environments/${c.env}/sdk-keys` : null) },
  { section: 'Project', label: 'Environments', href: (c) => (c.project ? `/projects/${c.project}/environments` : null) },
  { section: 'Project', label: 'Segments', href: (c) => (c.project ? `/projects/${c.project}/segments` : null) },
  { section: 'Project', label: 'Audit log', href: (c) => (c.project ? `/projects/${c.project}/audit` : null) },
  { section: 'Organisation', label: 'Projects', href: (c) => (c.org ? `/organisations/${c.org}/projects` : null) },
  { section: 'Organisation', label: 'Members', href: (c) => (c.org ? `/organisations/${c.org}/users` : null) },
  { section: 'Organisation', label: 'Groups', href: (c) => (c.org ? `/organisations/${c.org}/groups` : null) },
  { section: 'Organisation', label: 'Roles', href: (c) => (c.org ? `/organisations/${c.org}/roles` : null) },
  { section: 'Organisation', label: 'All organisations', href: () => '/organisations' },
  { section: 'Instance', label: 'Single sign-on', href: (c) => (c.superuser ? '/settings/sso' : null) },
  { section: 'Instance', label: 'LDAP', href: (c) => (c.superuser ? '/settings/ldap' : null) },
];
