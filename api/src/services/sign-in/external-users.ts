// The local account behind an outside sign-in (SAML, OIDC, LDAP). Every provider hands over a profile; this finds the
// user it is linked to, or links an existing account by email, or creates one — in one transaction with the
// provider's own follow-up (group sync), audited under `system:<method>-login`.
//
// Linking by email happens only when the provider asserts the email is verified (AUTH-NOTES.md §1.8): otherwise anyone
// able to register `ceo@yourcompany.com` at some OIDC provider would sign in as that account.
import type { Actor } from '../../domain/actor';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { upsertMembership, findMembership } from '../../store/repositories/organisations';
import * as identities from '../../store/repositories/sign-in';
import * as users from '../../store/repositories/users';
import type { RequestMeta, Store, WriteScope } from '../../store/store';
import type { SignInMethod } from './login-lock';

export interface ExternalProfile {
  method: SignInMethod;
  /** The provider's stable id of the person: SAML NameID / subject-id, OIDC `sub`, LDAP username. */
  subject: string;
  email?: string;
  /** Whether the provider vouches for the email (OIDC `email_verified`; SAML and LDAP configured by the admin: true). */
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
}

export interface ProvisionPolicy {
  /** May create an account nobody created before (JIT provisioning). */
  mayCreate: boolean;
  /** The organisation a user signing in this way joins as USER when not a member yet. */
  organisationId?: number;
  /** Runs in the same transaction once the user is known: a provider's group sync. */
  afterLink?: (w: WriteScope, user: users.UserRecord, created: boolean) => Promise<void>;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/** Why an outside sign-in found no account it may use: a stable code for login screens and audit rows. */
export type SignInRefusal = 'no_account' | 'email_unverified' | 'no_email' | 'account_disabled';

/** 403 from signInExternalUser, with the reason as a code (messages are for people and may change). */
export class SignInRefusedError extends ForbiddenError {
  constructor(readonly reason: SignInRefusal, message: string) {
    super(message);
  }
}

function loginActor(method: SignInMethod): Actor {
  return { type: 'system', name: `${method.split(':')[0]}-login` };
}

/** Finds, links or creates the local user for an outside profile; 403 with a plain reason when none may sign in. */
export async function signInExternalUser(store: Store, profile: ExternalProfile, policy: ProvisionPolicy, meta: RequestMeta = {}): Promise<users.UserRecord> {
  const subject = profile.subject.trim();
  if (!subject || subject.length > 255) throw ValidationError.field('subject', 'The identity provider sent no usable user id.');
  const email = profile.email?.trim().toLowerCase();
  if (email !== undefined && (!EMAIL.test(email) || email.length > 254)) {
    throw ValidationError.field('email', `The identity provider sent an unusable email address.`);
  }
  const now = new Date();
  return store.write(loginActor(profile.method), async (w) => {
    let created = false;
    let user: users.UserRecord | undefined;
    const link = await identities.findUserIdentity(w.trx, profile.method, subject);
    if (link) {
      user = await users.findUserById(w.trx, link.userId);
      await identities.touchUserIdentity(w.trx, link.id, now);
    }
    if (!user && email && profile.emailVerified) {
      user = await users.findUserByEmail(w.trx, email);
      if (user) {
        await identities.insertUserIdentity(w.trx, w.traits, { userId: user.id, provider: profile.method, subject, at: now });
        w.audit({ action: 'link', resourceType: 'user', resourceId: user.id, log: `Account ${email} linked to ${profile.method} identity` });
      }
    }
    if (!user) {
      if (!policy.mayCreate) throw new SignInRefusedError('no_account', 'There is no flagstack account for you yet; ask an administrator to add you.');
      if (!email) throw new SignInRefusedError('no_email', 'The identity provider sent no email address, which a new account needs.');
      if (await users.findUserByEmail(w.trx, email)) {
        // The address belongs to an account, but the provider does not vouch for it: never take the account over.
        throw new SignInRefusedError('email_unverified', 'An account with this email exists; sign in with its usual method, or ask an administrator to link it.');
      }
      if (!profile.emailVerified) {
        // An account made from an address nobody proved would squat it: when its owner later signs in through a
        // provider that does verify it, they would be linked into the squatter's account.
        throw new SignInRefusedError('email_unverified', 'Your identity provider has not verified your email address; verify it there, then sign in again.');
      }
      const id = await users.insertUser(w.trx, w.traits, {
        email,
        passwordHash: null,
        firstName: profile.firstName?.slice(0, 150),
        lastName: profile.lastName?.slice(0, 150),
        authProvider: profile.method.split(':')[0],
      });
      await identities.insertUserIdentity(w.trx, w.traits, { userId: id, provider: profile.method, subject, at: now });
      user = (await users.findUserById(w.trx, id))!;
      created = true;
      w.audit({ action: 'create', resourceType: 'user', resourceId: id, log: `Account ${email} created by ${profile.method} sign-in` });
    } else {
      const names: { firstName?: string; lastName?: string } = {};
      if (profile.firstName !== undefined && profile.firstName.slice(0, 150) !== user.firstName) names.firstName = profile.firstName.slice(0, 150);
      if (profile.lastName !== undefined && profile.lastName.slice(0, 150) !== user.lastName) names.lastName = profile.lastName.slice(0, 150);
      if (Object.keys(names).length > 0) await users.updateUser(w.trx, user.id, names);
    }
    if (!user.isActive) throw new SignInRefusedError('account_disabled', 'This account is disabled.');
    if (policy.organisationId !== undefined && (await findMembership(w.trx, policy.organisationId, user.id)) === undefined) {
      await upsertMembership(w.trx, policy.organisationId, user.id, 'USER');
      w.audit({
        action: 'create',
        resourceType: 'organisation_user',
        resourceId: user.id,
        organisationId: policy.organisationId,
        log: `${user.email} joined the organisation through ${profile.method} sign-in`,
      });
    }
    await policy.afterLink?.(w, user, created);
    return user;
  }, meta);
}
