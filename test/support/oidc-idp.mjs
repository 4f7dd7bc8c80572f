// A real OpenID provider for the OIDC tests: oidc-provider 9 (ESM-only, with koa), run in its own Node process because
// Jest's module loader cannot load it (AUTH-NOTES.md §2.4 used --experimental-vm-modules, which the suite avoids) and
// because the expired-token test moves this process's clock. Started by test/support/oidc-idp.ts:
//
//   node test/support/oidc-idp.mjs '<json options>'   → prints one line `{"port":…,"issuer":"http://127.0.0.1:…"}`
//
// options: { clients: [{client_id, client_secret, redirect_uris}], accounts: {<sub>: {email, email_verified, …}} }
// The user "logs in" by the authorization request's `login_hint` (the account id): the interaction is answered at
// once, and consent is implied (loadExistingGrant). Test-only control endpoints, under /__test/:
//   POST /__test/accounts   {<sub>: claims}        add or replace accounts
//   POST /__test/clock      {"offset_seconds": n}  shift this process's clock (ID tokens issued in the past)
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const accounts = new Map(Object.entries(options.accounts ?? {}));

const realNow = Date.now.bind(Date);
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

let handler = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: options.clients ?? [],
  jwks: { keys: [jwk] },
  cookies: { keys: ['oidc-idp-test-cookie-key'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  features: { devInteractions: { enabled: false } },
  findAccount: async (_ctx, id) => {
    const claims = accounts.get(id);
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
const callback = provider.callback();

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

handler = async (req, res) => {
  try {
    if (req.url === '/__test/accounts' && req.method === 'POST') {
      for (const [id, claims] of Object.entries(await body(req))) accounts.set(id, claims);
      return res.writeHead(204).end();
    }
    if (req.url === '/__test/clock' && req.method === 'POST') {
      offsetMs = Number((await body(req)).offset_seconds ?? 0) * 1000;
      return res.writeHead(204).end();
    }
    if (req.url?.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      const accountId = details.params.login_hint;
      if (!accountId || !accounts.has(accountId)) {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown test account' }, { mergeWithLastSubmission: false });
      }
      return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    }
    return callback(req, res);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error?.stack ?? error));
  }
};

process.stdout.write(`${JSON.stringify({ port, issuer })}\n`);
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
