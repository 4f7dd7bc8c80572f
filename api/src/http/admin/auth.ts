import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { describeUser, logout } from '../../services/users';
import { loginForToken } from '../../services/sign-in/token-login';
import type { CredentialsInput } from '../../services/sign-in/credentials';
import { loginPolicyOf } from '../auth/session-http';
import { ConflictError, UnauthenticatedError } from '../../domain/errors';
import { hashSecret } from '../../auth/keys';
import { isWellFormedSecret, parseCookies, PLAIN_COOKIES, SECURE_COOKIES, sessionKeyHash } from '../../auth/sessions';
import { changePassword, revokeCredentials, setUserActive, signUp, type CurrentCredential, type SignupInput } from '../../services/sign-in/account';
import { defineRoutes, type AdminRequest } from '../admin-route';
import type { AppDependencies } from '../dependencies';
import { strictObject } from './schemas';

/** Login and logout live outside the admin route table: login has no credentials yet. */
export function registerAuthRoutes(app: FastifyInstance, deps: AppDependencies): void {
  app.post('/api/v1/auth/login/', {
    schema: {
      summary:
        'Log in with email and password (or `provider: "ldap"` with username and password); answers {"key": "<token>"} for `Authorization: Token <key>`',
      tags: ['auth'],
      body: strictObject({
        provider: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
        username: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
      }),
    },
    handler: async (req) => {
      const policy = { ...loginPolicyOf(deps), tokenTtlHours: deps.settings.tokenTtlHours };
      return loginForToken(deps.store, req.body as CredentialsInput, policy, { ip: req.ip });
    },
  });
  app.post('/api/v1/auth/users/', {
    schema: {
      summary: 'Sign up with email and password (only when ALLOW_SIGNUP is on and login is not locked to another provider)',
      tags: ['auth'],
      body: strictObject({
        email: Type.String({ minLength: 1, maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
        first_name: Type.Optional(Type.String({ maxLength: 150 })),
        last_name: Type.Optional(Type.String({ maxLength: 150 })),
      }),
    },
    handler: async (req, reply) => {
      const auth = deps.config?.auth;
      const policy = { allowSignup: auth?.allowSignup ?? false, lockTo: auth?.lockLoginToProvider, tokenTtlHours: deps.settings.tokenTtlHours };
      return reply.code(201).send(await signUp(deps.store, req.body as SignupInput, policy, { ip: req.ip }));
    },
  });
  app.post('/api/v1/auth/logout/', {
    schema: { summary: 'Revoke the token this request carries', tags: ['auth'] },
    handler: async (req, reply) => {
      const header = req.headers.authorization ?? '';
      const token = header.replace(/^(Token|Bearer)\s+/i, '');
      if (!token || token === header) throw new UnauthenticatedError();
      await logout(deps.store, token, { ip: req.ip });
      return reply.code(204).send();
    },
  });
}

/** The credential a request carries (token or session cookie), hashed, so revocations can spare it. */
function currentCredential(headers: AdminRequest['headers']): CurrentCredential {
  const token = /^(?:Token|Bearer)\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const cookies = parseCookies(headers.cookie);
  const session = cookies.get(SECURE_COOKIES.session) ?? cookies.get(PLAIN_COOKIES.session);
  return {
    ...(token ? { tokenHash: hashSecret(token) } : {}),
    ...(isWellFormedSecret(session) ? { sessionHash: sessionKeyHash(session) } : {}),
  };
}

const UserIdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const authRoutes = defineRoutes([
  { method: 'GET', url: '/api/v1/auth/users/me/', tag: 'auth', summary: 'Who you are', permission: 'AUTHENTICATED', handler: async (r) => describeUser(r.ctx.store, r.actor) },
  {
    method: 'POST', url: '/api/v1/auth/users/set_password/', tag: 'auth', permission: 'AUTHENTICATED', status: 204,
    summary: 'Change your password; every other token and session of yours ends',
    schema: { body: strictObject({ current_password: Type.String({ minLength: 1, maxLength: 1024 }), new_password: Type.String({ minLength: 1, maxLength: 1024 }) }) },
    handler: async (r) => changePassword(r.ctx.store, r.actor, r.body, currentCredential(r.headers), r.ctx.meta),
  },
  {
    method: 'POST', url: '/api/v1/auth/users/me/revoke-sessions/', tag: 'auth', permission: 'AUTHENTICATED',
    summary: 'Sign out everywhere else: revokes your other API tokens and browser sessions',
    handler: async (r) => {
      if (r.actor.type !== 'user') throw new ConflictError('Only users have sessions; this request used an API key.');
      return revokeCredentials(r.ctx.store, r.actor, r.actor.userId, currentCredential(r.headers), r.ctx.meta);
    },
  },
  {
    method: 'POST', url: '/api/v1/users/:id/revoke-sessions/', tag: 'auth', permission: 'INSTANCE_ADMIN',
    summary: "Revoke every API token and browser session of a user (instance admins)",
    schema: { params: UserIdParam },
    handler: async (r) => revokeCredentials(r.ctx.store, r.actor, r.params.id, {}, r.ctx.meta),
  },
  {
    method: 'POST', url: '/api/v1/users/:id/deactivate/', tag: 'auth', permission: 'INSTANCE_ADMIN', status: 204,
    summary: 'Deactivate an account: it can no longer sign in, and its tokens and sessions end (instance admins)',
    schema: { params: UserIdParam },
    handler: async (r) => setUserActive(r.ctx.store, r.actor, r.params.id, false, r.ctx.meta),
  },
  {
    method: 'POST', url: '/api/v1/users/:id/activate/', tag: 'auth', permission: 'INSTANCE_ADMIN', status: 204,
    summary: 'Reactivate a deactivated account (instance admins)',
    schema: { params: UserIdParam },
    handler: async (r) => setUserActive(r.ctx.store, r.actor, r.params.id, true, r.ctx.meta),
  },
]);
