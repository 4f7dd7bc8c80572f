// Login throttling (AUTH-NOTES.md §5 "Brute force"): failure counters per account and per client address, in the
// database so every container and function counts together. It runs before any credential is checked — before the
// LDAP bind too, so flagstack cannot be used to trip a directory's own account lockout.
//
// Per account it is a progressive delay, not a hard lock: the first `accountFreeFailures` failures in 15 minutes cost
// nothing, then each further one blocks the account for twice as long as the one before (2 s, 4 s, … up to 15 min).
// An attacker guessing passwords gets a handful of tries an hour; the owner locked out by someone else's guessing
// waits minutes, not forever. Per address, more than `ipFailuresPerMinute` failures in a minute block that address
// for the rest of the minute. A success clears the account's counter (not the address's).
import { sql } from 'kysely';
import { TooManyRequestsError } from '../../domain/errors';
import * as repo from '../../store/repositories/sign-in';
import type { Executor } from '../../store/rows';
import type { Store } from '../../store/store';

export interface ThrottlePolicy {
  /** Failures per account in 15 minutes before delays start; 0 turns per-account throttling off. */
  accountFreeFailures: number;
  /** Failures per client address in one minute before it is blocked; 0 turns per-address throttling off. */
  ipFailuresPerMinute: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { accountFreeFailures: 5, ipFailuresPerMinute: 20 };

const ACCOUNT_WINDOW_MS = 15 * 60_000;
const IP_WINDOW_MS = 60_000;
const MAX_DELAY_MS = 15 * 60_000;

/** Who is trying: the login name as typed (lower-cased) and the client address. */
export interface LoginAttempt {
  account?: string;
  ip?: string | null;
}

function buckets(attempt: LoginAttempt, policy: ThrottlePolicy): { account?: string; ip?: string } {
  // Control characters spelled out: PostgreSQL refuses NUL in text, and a login name is whatever a client sent.
  const account = attempt.account
    ?.trim()
    .toLowerCase()
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .slice(0, 280);
  return {
    ...(policy.accountFreeFailures > 0 && account ? { account: `account:${account}` } : {}),
    ...(policy.ipFailuresPerMinute > 0 && attempt.ip ? { ip: `ip:${attempt.ip}` } : {}),
  };
}

/** 429 (with Retry-After) when the account or the address is in a delay; otherwise nothing. */
export async function assertNotThrottled(store: Store, attempt: LoginAttempt, policy: ThrottlePolicy, now = new Date()): Promise<void> {
  const { account, ip } = buckets(attempt, policy);
  const names = [account, ip].filter((b): b is string => b !== undefined);
  const rows = await repo.findThrottles(store.db, names);
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  if (until > now.getTime()) throw new TooManyRequestsError(Math.ceil((until - now.getTime()) / 1000));
}

/** Counts one failure against the account and the address, and starts a delay when a limit is passed. */
export async function recordLoginFailure(store: Store, attempt: LoginAttempt, policy: ThrottlePolicy, now = new Date()): Promise<void> {
  const { account, ip } = buckets(attempt, policy);
  if (account) {
    await bump(store.db, account, now, ACCOUNT_WINDOW_MS, (failures) => {
      const over = failures - policy.accountFreeFailures;
      return over > 0 ? Math.min(MAX_DELAY_MS, 1000 * 2 ** over) : 0;
    });
  }
  if (ip) {
    await bump(store.db, ip, now, IP_WINDOW_MS, (failures, windowStart) =>
      failures > policy.ipFailuresPerMinute ? windowStart.getTime() + IP_WINDOW_MS - now.getTime() : 0);
  }
}

/** A successful login forgets the account's failures. */
export async function clearAccountFailures(store: Store, attempt: LoginAttempt, policy: ThrottlePolicy): Promise<void> {
  const { account } = buckets(attempt, policy);
  if (account) await repo.deleteThrottle(store.db, account);
}

/**
 * Increments a counter atomically (concurrent failures must all count): one UPDATE that restarts the window when it
 * has passed, or an INSERT for a new bucket (a unique-key clash means another request inserted it first: update).
 */
async function bump(db: Executor, bucket: string, now: Date, windowMs: number, delayFor: (failures: number, windowStart: Date) => number): Promise<void> {
  const cutoff = new Date(now.getTime() - windowMs);
  const increment = () =>
    db
      .updateTable('login_throttle' as never)
      .set({
        failures: sql`case when window_start < ${cutoff} then 1 else failures + 1 end`,
        window_start: sql`case when window_start < ${cutoff} then ${now} else window_start end`,
      } as never)
      .where('bucket' as never, '=', bucket as never)
      .executeTakeFirst();
  let updated = Number((await increment()).numUpdatedRows ?? 0);
  if (updated === 0) {
    try {
      await repo.upsertThrottle(db, { bucket, failures: 1, windowStart: now, blockedUntil: null }, false);
    } catch {
      updated = Number((await increment()).numUpdatedRows ?? 0);
      if (updated === 0) throw new Error(`login throttle: could not count a failure for ${bucket.split(':')[0]}`);
    }
  }
  const [row] = await repo.findThrottles(db, [bucket]);
  if (!row) return;
  const delay = delayFor(row.failures, row.windowStart);
  if (delay > 0) await repo.upsertThrottle(db, { ...row, blockedUntil: new Date(now.getTime() + delay) }, true);
}
