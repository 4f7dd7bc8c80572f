// The screens by path. A new screen (SAML/OIDC settings next) slots in with one line here and one entry in nav.ts.
import type { FunctionComponent } from 'preact';
import { useEffect } from 'preact/hooks';
import { navigate } from './router';
import { AuditLog, LdapSettings, Members, SdkKeys } from './screens/admin';
import { GroupDetail, Groups, RoleDetail, Roles } from './screens/access';
import { ChangeRequestDetail, ChangeRequestList, ScheduledChanges } from './screens/change-requests';
import { FeatureDetail } from './screens/feature-detail';
import { FeatureList } from './screens/features';
import { IdentityDetail, IdentityList } from './screens/identities';
import { SegmentEditor, SegmentList } from './screens/segments';
import { Environments, Home, Organisations, ProjectHome, Projects } from './screens/workspace';
import type { Environment, Organisation, Project } from './types';

export interface Workspace {
  orgs: Organisation[] | undefined;
  org?: Organisation;
  projects?: Project[];
  project?: Project;
  envs?: Environment[];
  env?: Environment;
  /** Drops cached lists under a key prefix (all when omitted) and reloads the shell's context. */
  refresh: (prefix?: string) => void;
}

export interface ScreenProps {
  params: Record<string, string>;
  query: URLSearchParams;
  ws: Workspace;
}

function ToHome() {
  useEffect(() => navigate('/', { replace: true }), []);
  return null;
}

const env = '/projects/:project/environments/:env';

export const ROUTES: Array<{ path: string; component: FunctionComponent<ScreenProps> }> = [
  { path: '/', component: Home },
  { path: '/login', component: ToHome },
  { path: '/organisations', component: Organisations },
  { path: '/organisations/:org', component: Projects },
  { path: '/organisations/:org/projects', component: Projects },
  { path: '/organisations/:org/users', component: Members },
  { path: '/organisations/:org/groups', component: Groups },
  { path: '/organisations/:org/groups/:group', component: GroupDetail },
  { path: '/organisations/:org/roles', component: Roles },
  { path: '/organisations/:org/roles/:role', component: RoleDetail },
  { path: '/projects/:project', component: ProjectHome },
  { path: '/projects/:project/environments', component: Environments },
  { path: `${env}`, component: FeatureList },
  { path: `${env}/features`, component: FeatureList },
  { path: `${env}/features/:feature`, component: FeatureDetail },
  { path: `${env}/identities`, component: IdentityList },
  { path: `${env}/identities/:identity`, component: IdentityDetail },
  { path: `${env}/sdk-keys`, component: SdkKeys },
  { path: `${env}/change-requests`, component: ChangeRequestList },
  { path: `${env}/change-requests/:cr`, component: ChangeRequestDetail },
  { path: `${env}/scheduled-changes`, component: ScheduledChanges },
  { path: '/projects/:project/segments', component: SegmentList },
  { path: '/projects/:project/segments/:segment', component: SegmentEditor },
  { path: '/projects/:project/audit', component: AuditLog },
  { path: '/settings/ldap', component: LdapSettings },
];
