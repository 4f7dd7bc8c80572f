// What the OIDC tests drive: a real OpenID provider (oidc-provider in a child process, test/support/oidc-idp.mjs), a
// server shaped like GitHub's OAuth endpoints and REST API, and a small "browser" — fetch with redirect:'manual' for
// the providers, Fastify's inject for flagstack — that keeps cookies per host the way a browser would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

export interface IdpClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: string;
}

export type IdpAccount = Record<string, unknown>;

export interface TestIdp {
  issuer: string;
  port: number;
  setAccounts(accounts: Record<string, IdpAccount>): Promise<void>;
  /** Shifts the provider's clock (tokens it issues carry the shifted times). */
  setClockOffset(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts oidc-provider on 127.0.0.1:0 in its own Node process. */
export async function startTestIdp(options: { clients: IdpClient[]; accounts: Record<string, IdpAccount> }): Promise<TestIdp> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(__dirname, 'oidc-idp.mjs'), JSON.stringify(options)], { env, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<{ port: number; issuer: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`oidc-idp did not start:\n${stderr}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, nl)));
      }
    });
    child.on('exit', (code) => reject(new Error(`oidc-idp exited with ${code}:\n${stderr}`)));
  });
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${first.issuer}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    if (res.status !== 204) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  return {
    ...first,
    setAccounts: (accounts) => control('/__test/accounts', accounts),
    setClockOffset: (seconds) => control('/__test/clock', { offset_seconds: seconds }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// -- a browser -----------------------------------------------------------------------------------------------------

export interface BrowserResponse {
  status: number;
  /** Absolute Location of a redirect. */
  location?: string;
  setCookies: string[];
  body: string;
}

/** flagstack's origin in these tests: a loopback host, so its cookies are the `__Host-` ones. */
export const APP_ORIGIN = 'http://localhost:8000';

export class Browser {
  /** host → cookie name → value */
  readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly app: FastifyInstance) {}

  cookies(host: string): Map<string, string> {
    let jar = this.jar.get(host);
    if (!jar) this.jar.set(host, (jar = new Map()));
    return jar;
  }

  private store(host: string, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0$/i.test(a)) || value === '') this.cookies(host).delete(name);
      else this.cookies(host).set(name, value);
    }
  }

  private cookieHeader(host: string): string | undefined {
    const jar = this.cookies(host);
    return jar.size === 0 ? undefined : [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(target: string, headers: Record<string, string> = {}): Promise<BrowserResponse> {
    const url = new URL(target, APP_ORIGIN);
    const cookie = this.cookieHeader(url.host);
    let res: BrowserResponse;
    if (url.origin === APP_ORIGIN) {
      const r = await this.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { host: url.host, accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers } });
      const raw = r.headers['set-cookie'];
      const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      const location = typeof r.headers.location === 'string' ? new URL(r.headers.location, url).href : undefined;
      res = { status: r.statusCode, location, setCookies, body: r.body };
    } else {
      const r = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers } });
      const location = r.headers.get('location') ?? undefined;
      res = { status: r.status, location: location ? new URL(location, url).href : undefined, setCookies: r.headers.getSetCookie(), body: await r.text() };
    }
    this.store(url.host, res.setCookies);
    return res;
  }

  /** Follows redirects from `target` until one points where `stop` says (answered without requesting it). */
  async follow(target: string, stop: (url: string) => boolean): Promise<string> {
    let url = target;
    for (let hop = 0; hop < 20; hop++) {
      const res = await this.get(url);
      if (!res.location) throw new Error(`no redirect from ${url}: ${res.status} ${res.body.slice(0, 300)}`);
      if (stop(res.location)) return res.location;
      url = res.location;
    }
    throw new Error(`too many redirects from ${target}`);
  }
}

// -- a server shaped like GitHub (Enterprise Server layout: /login/oauth/*, REST API under /api/v3) -------------------

export interface GithubAccount {
  id: number;
  login: string;
  name?: string;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export interface FakeGithub {
  baseUrl: string;
  /** Token requests seen (form fields), to assert on client authentication and PKCE. */
  tokenRequests: Array<Record<string, string>>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/**
 * GitHub's OAuth web flow as its docs describe it: `GET /login/oauth/authorize` (the user is chosen by the `login`
 * parameter; answers a redirect with `code` and `state`), `POST /login/oauth/access_token` (form; client id and secret
 * in the body; errors come back as 200 with an `error` field, as GitHub does), `GET /api/v3/user` and
 * `GET /api/v3/user/emails` with the bearer token.
 */
export async function startFakeGithub(options: { clientId: string; clientSecret: string; accounts: GithubAccount[] }): Promise<FakeGithub> {
  const codes = new Map<string, { account: GithubAccount; redirectUri: string; challenge?: string }>();
  const tokens = new Map<string, GithubAccount>();
  const tokenRequests: Array<Record<string, string>> = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://github.local');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const account = options.accounts.find((a) => a.login === url.searchParams.get('login'));
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== options.clientId || !account || !redirectUri) return json(400, { error: 'bad request' });
      const code = randomBytes(10).toString('hex');
      codes.set(code, { account, redirectUri, challenge: url.searchParams.get('code_challenge') ?? undefined });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { location: back.href }).end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      tokenRequests.push(form);
      const grant = codes.get(form.code ?? '');
      codes.delete(form.code ?? '');
      if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) return json(200, { error: 'incorrect_client_credentials' });
      if (!grant || grant.redirectUri !== form.redirect_uri) return json(200, { error: 'bad_verification_code' });
      if (grant.challenge) {
        const computed = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
        if (computed !== grant.challenge) return json(200, { error: 'bad_verification_code' });
      }
      const token = `gho_${randomBytes(18).toString('hex')}`;
      tokens.set(token, grant.account);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const account = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (req.method === 'GET' && url.pathname === '/api/v3/user') {
      return account ? json(200, { id: account.id, login: account.login, name: account.name ?? null }) : json(401, { message: 'Bad credentials' });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/user/emails') {
      return account ? json(200, account.emails.map((e) => ({ ...e, visibility: null }))) : json(401, { message: 'Bad credentials' });
    }
    return json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
