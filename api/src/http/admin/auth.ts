import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { describeUser, logout } from '../../services/users';
import { loginForToken } from '../../services/sign-in/token-login';
import type { CredentialsInput } from '../../services/sign-in/credentials';
import { loginPolicyOf } from '../auth/session-http';
import { UnauthenticatedError } from '../../domain/errors';
import { defineRoutes } from '../admin-route';
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
  app.post('/api/v1/auth/logout/', {
    schema: { summary: 'Revoke the token this request carries', tags: ['auth'] },
    handler: async (req, reply) => {
      const header = req.headers.authorization ?? '';
      const token = header.replace(/^(Token|Bearer)\s+/i, '');
      if (!token || token === header) throw new UnauthenticatedError();
      await logout(deps.store, token);
      return reply.code(204).send();
    },
  });
}

export const authRoutes = defineRoutes([
  { method: 'GET', url: '/api/v1/auth/users/me/', tag: 'auth', summary: 'Who you are', permission: 'AUTHENTICATED', handler: async (r) => describeUser(r.ctx.store, r.actor) },
]);
