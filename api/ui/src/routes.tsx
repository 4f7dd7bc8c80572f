// The screens by path. A new screen slots in with one line here and one entry in nav.ts. Screens only instance admins
// open (single sign-on, LDAP) are loaded on demand, in their own chunk, so the main bundle does not carry them.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from './router';
import { Account } from './screens/account';
import { AuditLog, Members, SdkKeys } from './screens/admin';
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

type ScreenModule = Record<string, FunctionComponent<ScreenProps>>;

/** A screen from a module loaded on first use; a failed load says so and offers a retry. */
function lazy(load: () => Promise<ScreenModule>, name: string): FunctionComponent<ScreenProps> {
  let screen: FunctionComponent<ScreenProps> | undefined;
  return function Lazy(props: ScreenProps) {
    const [failed, setFailed] = useState<string | null>(null);
    const [, setLoaded] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (screen) return;
      let live = true;
      // What had focus when the screen was asked for (the nav link just clicked, or the body).
      const focusedBefore = document.activeElement;
      load().then(
        (m) => {
          screen = m[name];
          if (!live) return;
          setLoaded(true);
          // The shell tried to focus the heading before it existed: focus it now, unless the user moved on meanwhile.
          requestAnimationFrame(() => {
            const unmoved = document.activeElement === document.body || document.activeElement === focusedBefore;
            if (unmoved) document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
          });
        },
        (e: Error) => live && setFailed(e.message),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (screen) {
      const Screen = screen;
      return <Screen {...props} />;
    }
    if (failed) {
      return (
        <div class="error-box" role="alert">
          <p>This screen could not be loaded ({failed}).</p>
          <button type="button" class="secondary" onClick={() => (setFailed(null), setAttempt((n) => n + 1))}>Try again</button>
        </div>
      );
    }
    return <p class="muted" aria-busy="true">Loading…</p>;
  };
}

const sso = () => import('./screens/sso');
const SsoOverview = lazy(sso, 'SsoOverview');
const SamlConfigurationScreen = lazy(sso, 'SamlConfigurationScreen');
const OidcProviderScreen = lazy(sso, 'OidcProviderScreen');
const LdapSettings = lazy(sso, 'LdapSettings');

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
  { path: '/account', component: Account },
  { path: '/settings/sso', component: SsoOverview },
  { path: '/settings/sso/saml/:name', component: SamlConfigurationScreen },
  { path: '/settings/sso/oidc/:name', component: OidcProviderScreen },
  { path: '/settings/ldap', component: LdapSettings },
];
