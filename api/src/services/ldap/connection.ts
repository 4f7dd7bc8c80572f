// One short-lived connection to the directory per login or sync run (AUTH-NOTES.md §2.5): StartTLS when
// LDAP_AUTH_USE_TLS, the timeouts of LDAP_AUTH_CONNECT_TIMEOUT / LDAP_AUTH_RECEIVE_TIMEOUT, and an unbind whatever
// happened — a client whose bind failed still holds its socket. Errors are sorted into "the directory said no" (the
// caller's credentials or input) and "the directory could not be reached or used" (503, not the caller's fault).
import type { ConnectionOptions } from 'node:tls';
import type { Client, ResultCodeError } from 'ldapts';
import { ldapts } from '../../auth/libraries';
import type { LdapConfig } from '../../config';
import { ServiceUnavailableError } from '../../domain/errors';

/** Programmatic additions to the connection (an embedding application's or a test's trusted CA). */
export interface LdapConnectOptions {
  /** Merged into the TLS options of ldaps:// and StartTLS (e.g. `{ ca: [pem] }`). Node's trust store applies otherwise (NODE_EXTRA_CA_CERTS). */
  tlsOptions?: ConnectionOptions;
}

/** When LDAP_AUTH_CONNECT_TIMEOUT / LDAP_AUTH_RECEIVE_TIMEOUT are unset: a login must not hang on a silent server. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
export const DEFAULT_RECEIVE_TIMEOUT_SECONDS = 30;

/** Result codes that mean the server is there but cannot serve now: busy (51), unavailable (52). */
const UNAVAILABLE_CODES = new Set([51, 52]);

/** The directory could not be reached or used: 503, and not a failed sign-in. */
export class DirectoryUnavailableError extends ServiceUnavailableError {}

/** Whether an error from ldapts is the server's answer about the request (as opposed to transport, TLS or a timeout). */
export function isDirectoryAnswer(error: unknown): error is ResultCodeError {
  return error instanceof ldapts().ResultCodeError && !UNAVAILABLE_CODES.has(error.code);
}

export function unavailable(error: unknown, doing: string): DirectoryUnavailableError {
  // Not `instanceof Error`: socket errors may come from another realm (a test sandbox) and still carry a message.
  const message = (error as { message?: unknown } | null)?.message;
  const reason = typeof message === 'string' && message.trim() !== '' ? message.trim() : String(error);
  return new DirectoryUnavailableError(`The LDAP directory is unavailable (${doing}: ${reason}); try again shortly.`, 5, { cause: error });
}

function milliseconds(seconds: number | undefined, fallback: number): number {
  return Math.round((seconds ?? fallback) * 1000);
}

/**
 * Opens a connection (StartTLS first when configured), runs `fn`, and always unbinds. Connection and TLS failures
 * become DirectoryUnavailableError; what `fn` throws passes through.
 */
export async function withDirectory<T>(config: LdapConfig, options: LdapConnectOptions, fn: (client: Client) => Promise<T>): Promise<T> {
  if (!config.url) throw new Error('LDAP is not configured (LDAP_AUTH_URL is unset)');
  const tlsOptions: ConnectionOptions = { minVersion: 'TLSv1.2', ...options.tlsOptions };
  const client = new (ldapts().Client)({
    url: config.url,
    connectTimeout: milliseconds(config.connectTimeoutSeconds, DEFAULT_CONNECT_TIMEOUT_SECONDS),
    timeout: milliseconds(config.receiveTimeoutSeconds, DEFAULT_RECEIVE_TIMEOUT_SECONDS),
    // ldapts opens TLS from the first byte whenever tlsOptions are given, even for ldap:// — so only for ldaps://;
    // an ldap:// connection gets its TLS options through StartTLS.
    ...(/^ldaps:/i.test(config.url) ? { tlsOptions } : {}),
  });
  try {
    if (config.useTls) {
      try {
        await client.startTLS(tlsOptions);
      } catch (error) {
        throw unavailable(error, 'StartTLS');
      }
    }
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * Binds; answers false when the directory refused these credentials (wrong password, no such entry, malformed name,
 * or an empty password it will not take), throws DirectoryUnavailableError when it could not be asked.
 */
export async function tryBind(client: Client, name: string, password: string): Promise<boolean> {
  try {
    await client.bind(name, password);
    return true;
  } catch (error) {
    if (isDirectoryAnswer(error)) return false;
    throw unavailable(error, 'bind');
  }
}
