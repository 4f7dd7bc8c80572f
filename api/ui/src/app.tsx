// The shell: session check, login, and — once signed in — the top bar with organisation / project / environment
// pickers, the navigation, and the current screen.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, get, onUnauthenticated, setCsrfToken } from './api';
import { cached, invalidate } from './cache';
import { Notices, notifyError } from './components/ui';
import { loadUiFlags, type UiFlags } from './flags';
import { NAV, type NavContext } from './nav';
import { Link, match, navigate, useLocation } from './router';
import { ROUTES, type Workspace } from './routes';
import { Login } from './screens/login';
import { SessionContext, type SessionState } from './session';
import type { Environment, Organisation, Project, SessionView } from './types';

export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [flags, setFlags] = useState<UiFlags>({ announcement: null });

  useEffect(() => {
    api<SessionView>('GET', 'auth/session/', undefined, { quiet401: true }).then(
      (s) => {
        setCsrfToken(s.csrf_token);
        setSession(s);
      },
      () => setSession(null),
    );
    void loadUiFlags().then(setFlags);
    return onUnauthenticated(() => {
      setCsrfToken(null);
      invalidate();
      setSession(null);
    });
  }, []);

  if (session === undefined) return <p class="splash" aria-busy="true">Loading…</p>;
  if (session === null) {
    return (
      <>
        {flags.announcement && <p class="announcement">{flags.announcement}</p>}
        <Login
          onSignedIn={(s) => {
            setCsrfToken(s.csrf_token);
            setSession(s);
          }}
        />
        <Notices />
      </>
    );
  }
  const state: SessionState = {
    user: session.user,
    signOut: async () => {
      try {
        await api('DELETE', 'auth/session/');
      } catch (e) {
        notifyError(e);
        return;
      }
      setCsrfToken(null);
      invalidate();
      setSession(null);
      navigate('/login', { replace: true });
    },
  };
  return (
    <SessionContext.Provider value={state}>
      {flags.announcement && <p class="announcement">{flags.announcement}</p>}
      <Shell session={state} />
      <Notices />
    </SessionContext.Provider>
  );
}

/** Which organisation / project / environment the path is about. */
function contextOf(path: string): { org?: number; project?: number; env?: string } {
  const m = /^\/organisations\/(\d+)/.exec(path);
  const p = /^\/projects\/(\d+)(?:\/environments\/([^/]+))?/.exec(path);
  return { org: m ? Number(m[1]) : undefined, project: p ? Number(p[1]) : undefined, env: p?.[2] && p[2] !== '' ? decodeURIComponent(p[2]) : undefined };
}

const lastEnvironment = new Map<number, string>();
const lastProject = new Map<number, number>();

function useWorkspace(path: string): Workspace {
  const ctx = contextOf(path);
  const [tick, setTick] = useState(0);
  const [ws, setWs] = useState<Omit<Workspace, 'refresh'>>({ orgs: undefined });
  useEffect(() => {
    let live = true;
    (async () => {
      const orgs = await cached('orgs', () => get<Organisation[]>('organisations/'));
      let project: Project | undefined;
      let envs: Environment[] | undefined;
      let orgId = ctx.org;
      // On organisation screens the project (and environment) stay the ones last visited there, so their links remain.
      const projectId = ctx.project ?? (ctx.org ? lastProject.get(ctx.org) : undefined);
      if (projectId) {
        project = await cached(`project:${projectId}`, () => get<Project>(`projects/${projectId}/`));
        envs = await cached(`envs:${projectId}`, () => get<Environment[]>(`environments/?project=${projectId}`));
        orgId = project.organisation;
        lastProject.set(orgId, projectId);
      }
      if (ctx.project && ctx.env) lastEnvironment.set(ctx.project, ctx.env);
      const projects = orgId ? await cached(`projects:${orgId}`, () => get<Project[]>(`projects/?organisation=${orgId}`)) : undefined;
      if (!live) return;
      setWs({
        orgs,
        org: orgs.find((o) => o.id === orgId),
        projects,
        project,
        envs,
        // On project screens (segments, audit log) the environment stays the one last visited, so its links remain.
        env: envs?.find((e) => e.api_key === (ctx.env ?? lastEnvironment.get(projectId ?? 0))) ?? (ctx.env ? undefined : envs?.[0]),
      });
    })().catch((e) => live && notifyError(e));
    return () => {
      live = false;
    };
  }, [ctx.org, ctx.project, ctx.env, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  return { ...ws, refresh: (prefix?: string) => (invalidate(prefix), setTick((n) => n + 1)) };
}

function Shell({ session }: { session: SessionState }) {
  const loc = useLocation();
  const ws = useWorkspace(loc.path);
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    setMenuOpen(false);
    // Move focus to the new screen's heading so keyboard and screen-reader users land on it.
    requestAnimationFrame(() => mainRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true }));
  }, [loc.path]);

  const route = useMemo(() => {
    for (const r of ROUTES) {
      const params = match(r.path, loc.path);
      if (params) return { r, params };
    }
    return null;
  }, [loc.path]);

  const nav: NavContext = { org: ws.org?.id, project: ws.project?.id, env: ws.env?.api_key, superuser: session.user.is_superuser };
  // The current entry is the longest one the path starts with (Features, not Environments, on a feature's page).
  const current = NAV.map((n) => n.href(nav))
    .filter((to): to is string => !!to && (loc.path === to || loc.path.startsWith(`${to}/`)))
    .sort((a, b) => b.length - a.length)[0];
  const sections = ['Environment', 'Project', 'Organisation', 'Instance'] as const;

  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <Link class="brand" href="/">flagstack</Link>
        <button type="button" class="menu-button secondary small" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <Pickers ws={ws} />
        <div class="user">
          <span class="muted small" title={session.user.email}>{session.user.email}</span>
          <Link class="button secondary small" href="/account" aria-current={loc.path === '/account' ? 'page' : undefined}>Account</Link>
          <button type="button" class="secondary small" onClick={() => void session.signOut()}>Sign out</button>
        </div>
      </header>
      <nav id="sidebar" class={`sidebar ${menuOpen ? 'open' : ''}`} aria-label="Main">
        {sections.map((section) => {
          const items = NAV.filter((n) => n.section === section).map((n) => ({ ...n, to: n.href(nav) })).filter((n) => n.to);
          if (items.length === 0) return null;
          const title = section === 'Environment' ? ws.env?.name : section === 'Project' ? ws.project?.name : section === 'Organisation' ? ws.org?.name : undefined;
          return (
            <div class="nav-section" key={section}>
              <h2>
                {section}
                {title && <span class="nav-title"> · {title}</span>}
              </h2>
              <ul>
                {items.map((n) => (
                  <li key={n.label}>
                    <Link href={n.to!} aria-current={n.to === current ? 'page' : undefined}>
                      {n.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <main id="main" ref={mainRef}>
        {route ? <route.r.component params={route.params} ws={ws} query={loc.query} /> : <NotFound />}
      </main>
    </div>
  );
}

function Pickers({ ws }: { ws: Workspace }) {
  const loc = useLocation();
  const envScreen = /^\/projects\/\d+\/environments\/[^/]+\/([a-z-]+)/.exec(loc.path)?.[1] ?? 'features';
  return (
    <div class="pickers">
      <label class="picker">
        <span>Organisation</span>
        <select value={ws.org?.id ?? ''} onChange={(e) => navigate(`/organisations/${(e.currentTarget as HTMLSelectElement).value}/projects`)}>
          {!ws.org && <option value="">Choose…</option>}
          {(ws.orgs ?? []).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </label>
      {ws.org && (
        <label class="picker">
          <span>Project</span>
          <select value={ws.project?.id ?? ''} onChange={(e) => navigate(`/projects/${(e.currentTarget as HTMLSelectElement).value}`)}>
            {!ws.project && <option value="">Choose…</option>}
            {(ws.projects ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
      )}
      {ws.project && (
        <label class="picker">
          <span>Environment</span>
          <select
            value={ws.env?.api_key ?? ''}
            onChange={(e) => navigate(`/projects/${ws.project!.id}/environments/${(e.currentTarget as HTMLSelectElement).value}/${['features', 'identities', 'sdk-keys', 'change-requests', 'scheduled-changes'].includes(envScreen) ? envScreen : 'features'}`)}
          >
            {!ws.env && <option value="">Choose…</option>}
            {(ws.envs ?? []).map((e) => <option key={e.api_key} value={e.api_key}>{e.name}</option>)}
          </select>
        </label>
      )}
    </div>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to the start page</Link>.
      </p>
    </section>
  );
}
