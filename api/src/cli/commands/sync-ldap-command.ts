// `flagstack sync-ldap-users-and-groups [--dry-run] [--json]`: Flagsmith's sync_ldap_users_and_groups. Binds as
// LDAP_SYNC_USER_USERNAME, removes users and mirrored groups gone from the directory, and brings the mirrored groups'
// members in line with it (services/ldap/sync.ts). Prints a summary (JSON with --json). Exit codes: 0 done, 1 the sync
// could not run (bind refused, directory unreachable, …; nothing changed), 2 wrong usage or LDAP not configured.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { ServiceUnavailableError } from '../../domain/errors';
import { connect } from '../../store/connect';
import { Store } from '../../store/store';
import { formatSyncSummary, LdapSyncError, syncLdapUsersAndGroups } from '../../services/ldap/sync';

type Out = (line: string) => void;

export const SYNC_LDAP_USAGE = `  sync-ldap-users-and-groups [--dry-run] [--json]
                                 with LDAP_SYNC_USER_USERNAME: remove users and groups gone
                                 from the directory, update mirrored group memberships;
                                 --dry-run reports without changing anything`;

export async function runSyncLdapCommand(argv: string[], out: Out, err: Out): Promise<number> {
  let values: { 'dry-run'?: boolean; json?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    err(`sync-ldap-users-and-groups: ${(error as Error).message}`);
    return 2;
  }
  const config = loadConfig();
  if (!config.ldap.enabled) {
    err('sync-ldap-users-and-groups: LDAP is not configured (set LDAP_AUTH_URL and LDAP_SYNC_USER_USERNAME)');
    return 2;
  }
  const store = new Store(await connect(config.database.url, { poolMax: 2, tls: config.database.tls }));
  try {
    const summary = await syncLdapUsersAndGroups(store, config, { dryRun: values['dry-run'] === true });
    if (values.json) out(JSON.stringify(summary, null, 2));
    else formatSyncSummary(summary).forEach((line) => out(line));
    return 0;
  } catch (error) {
    if (error instanceof LdapSyncError || error instanceof ServiceUnavailableError) {
      err(`sync-ldap-users-and-groups: ${error.message}; nothing was changed`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}
