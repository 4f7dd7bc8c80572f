// A throwaway OpenLDAP server (Debian's slapd) for the LDAP tests: AUTH-NOTES.md §3's script, adapted to run from a
// test file's beforeAll. Each call gets its own directory under os.tmpdir(), free loopback ports (or LDAP_TEST_PORT /
// LDAP_TEST_TLS_PORT), a self-signed certificate that doubles as the CA, and two databases:
//   dc=example,dc=com          OpenLDAP style (inetOrgPerson, groupOfNames, memberOf overlay)
//   dc=corp,dc=example,dc=com  an Active Directory look-alike (user/group, sAMAccountName, userPrincipalName,
//                              userAccountControl), with AD's names and OIDs but matching rules OpenLDAP can use
// slapd runs in the foreground with the `stats` log level, its log captured here: tests count the binds it saw.
// Memberships are loaded online (ldapadd, not slapadd) so the memberOf overlay fills `memberOf`.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXAMPLE_BASE = 'dc=example,dc=com';
export const PEOPLE_BASE = 'ou=people,dc=example,dc=com';
export const GROUPS_BASE = 'ou=groups,dc=example,dc=com';
export const CORP_BASE = 'dc=corp,dc=example,dc=com';
export const CORP_USERS = 'cn=Users,dc=corp,dc=example,dc=com';

/** The seeded directory, for assertions. */
export const SEED = {
  bindDn: 'cn=flagstack-bind,dc=example,dc=com',
  bindPassword: 'bindpw',
  flagAdmins: 'cn=flag-admins,ou=groups,dc=example,dc=com',
  developers: 'cn=developers,ou=groups,dc=example,dc=com',
  carolDn: 'cn=Smith\\2C Carol (ops),ou=people,dc=example,dc=com',
  corpServiceDn: 'cn=svc-flagstack,cn=Users,dc=corp,dc=example,dc=com',
  corpFlagAdmins: 'cn=FlagAdmins,cn=Users,dc=corp,dc=example,dc=com',
} as const;

export interface LdapTestServer {
  /** ldap://127.0.0.1:<port> (plain, StartTLS available) */
  url: string;
  /** ldaps://127.0.0.1:<port> */
  ldapsUrl: string;
  port: number;
  /** The server certificate, self-signed: the CA to trust. */
  caPem: string;
  caFile: string;
  dir: string;
  /**
   * Names of every simple bind slapd saw since start (or since `resetLog`), in order — names that are not DNs
   * (`CORP\alice`) too, which slapd refuses as invalid; anonymous binds left out. Waits until slapd has logged
   * everything sent before the call.
   */
  binds(): Promise<string[]>;
  /** slapd's stats log since start (or since `resetLog`), complete up to the call. */
  log(): Promise<string>;
  /** Forgets what was logged so far. */
  resetLog(): Promise<void>;
  /** Runs LDIF as the rootdn of `suffix` (ldapmodify; `changetype:` lines decide what happens). */
  modify(ldif: string, suffix?: string): void;
  stop(): Promise<void>;
}

/** Whether slapd and the OpenLDAP client tools are installed (scripts/pretest.js installs them). */
export function slapdAvailable(): boolean {
  return existsSync('/usr/sbin/slapd') && existsSync('/usr/bin/ldapadd') && existsSync('/usr/sbin/slaptest');
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const AD_LITE_SCHEMA = `attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch
  SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch
  SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.750 NAME 'groupType' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID' EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP inetOrgPerson STRUCTURAL
  MAY ( sAMAccountName $ userPrincipalName $ userAccountControl $ objectGUID ) )
objectclass ( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL
  MUST cn MAY ( member $ description $ mail $ groupType $ sAMAccountName $ objectGUID ) )
`;

function slapdConf(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include ${dir}/ad-lite.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
TLSCertificateFile ${dir}/tls.crt
TLSCertificateKeyFile ${dir}/tls.key

# the AD-like suffix sits under dc=example,dc=com, so it must be declared first
database mdb
maxsize 104857600
suffix "${CORP_BASE}"
rootdn "cn=admin,${CORP_BASE}"
rootpw secret
directory ${dir}/corp
index objectClass,sAMAccountName,userPrincipalName,member eq
overlay memberof
memberof-group-oc group
memberof-refint TRUE
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none

database mdb
maxsize 104857600
suffix "${EXAMPLE_BASE}"
rootdn "cn=admin,${EXAMPLE_BASE}"
rootpw secret
directory ${dir}/example
index objectClass,uid,mail,member eq
overlay memberof
memberof-group-oc groupOfNames
memberof-refint TRUE
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`;
}

/** The OpenLDAP-style people and groups (AUTH-NOTES §3, plus dave, who is in no group, and an `admin` user). */
export const EXAMPLE_LDIF = `dn: ${EXAMPLE_BASE}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ${PEOPLE_BASE}
objectClass: organizationalUnit
ou: people

dn: ${GROUPS_BASE}
objectClass: organizationalUnit
ou: groups

dn: ${SEED.bindDn}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: flagstack-bind
userPassword: bindpw

dn: uid=alice,${PEOPLE_BASE}
objectClass: inetOrgPerson
uid: alice
cn: Alice Admin
givenName: Alice
sn: Admin
mail: alice@example.com
userPassword: alicepw

dn: uid=bob,${PEOPLE_BASE}
objectClass: inetOrgPerson
uid: bob
cn: Bob Builder
givenName: Bob
sn: Builder
mail: bob@example.com
userPassword: bobpw

dn: ${SEED.carolDn}
objectClass: inetOrgPerson
uid: carol*ops
cn: Smith, Carol (ops)
givenName: Carol
sn: Smith
mail: carol@example.com
userPassword: carolpw

dn: uid=dave,${PEOPLE_BASE}
objectClass: inetOrgPerson
uid: dave
cn: Dave Nogroup
givenName: Dave
sn: Nogroup
mail: dave@example.com
userPassword: davepw

dn: uid=admin,${PEOPLE_BASE}
objectClass: inetOrgPerson
uid: admin
cn: Directory Admin
givenName: Directory
sn: Admin
mail: directory-admin@example.com
userPassword: adminpw

dn: ${SEED.flagAdmins}
objectClass: groupOfNames
cn: flag-admins
member: uid=alice,${PEOPLE_BASE}

dn: ${SEED.developers}
objectClass: groupOfNames
cn: developers
member: uid=alice,${PEOPLE_BASE}
member: uid=bob,${PEOPLE_BASE}
member: ${SEED.carolDn}
`;

export const CORP_LDIF = `dn: ${CORP_BASE}
objectClass: dcObject
objectClass: organization
o: Corp
dc: corp

dn: ${CORP_USERS}
objectClass: organizationalRole
cn: Users

dn: ${SEED.corpServiceDn}
objectClass: user
cn: svc-flagstack
sn: service
sAMAccountName: svc-flagstack
userPrincipalName: svc-flagstack@corp.example.com
userAccountControl: 512
userPassword: bindpw

dn: cn=Alice Admin,${CORP_USERS}
objectClass: user
cn: Alice Admin
sn: Admin
givenName: Alice
mail: alice@corp.example.com
sAMAccountName: alice
userPrincipalName: alice@corp.example.com
userAccountControl: 512
objectGUID:: 3q2+7wAAAAAAAAAAAAAAAQ==
userPassword: alicepw

dn: cn=Disabled Dan,${CORP_USERS}
objectClass: user
cn: Disabled Dan
sn: Dan
givenName: Dan
mail: dan@corp.example.com
sAMAccountName: dan
userPrincipalName: dan@corp.example.com
userAccountControl: 514
userPassword: danpw

dn: ${SEED.corpFlagAdmins}
objectClass: group
cn: FlagAdmins
sAMAccountName: FlagAdmins
groupType: -2147483646
member: cn=Alice Admin,${CORP_USERS}
`;

function run(cmd: string, args: string[], input?: string): void {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout || r.error?.message}`);
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ldapUp(url: string): boolean {
  return spawnSync('ldapsearch', ['-x', '-H', url, '-s', 'base', '-b', '', 'namingContexts'], { timeout: 2000 }).status === 0;
}

/** Starts slapd with the seeded directory; `stop()` it in afterAll. */
export async function startLdapServer(options: { port?: number; tlsPort?: number } = {}): Promise<LdapTestServer> {
  if (!slapdAvailable()) {
    throw new Error('slapd / ldap-utils are not installed: run `node scripts/pretest.js` as root, or apt-get install slapd ldap-utils');
  }
  const dir = mkdtempSync(join(tmpdir(), 'flagstack-ldap-'));
  mkdirSync(join(dir, 'example'));
  mkdirSync(join(dir, 'corp'));
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')]);
  writeFileSync(join(dir, 'ad-lite.schema'), AD_LITE_SCHEMA);
  writeFileSync(join(dir, 'slapd.conf'), slapdConf(dir));
  run('slaptest', ['-Q', '-u', '-f', join(dir, 'slapd.conf')]);

  const port = options.port ?? (Number(process.env.LDAP_TEST_PORT) || (await freePort()));
  const tlsPort = options.tlsPort ?? (Number(process.env.LDAP_TEST_TLS_PORT) || (await freePort()));
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;

  // -d stats: foreground, connection/operation log on stderr (BIND lines); the process is ours to stop by its pid.
  const child: ChildProcess = spawn('slapd', ['-f', join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`, '-d', 'stats'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let exited: number | null | undefined;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (log += chunk));
  child.on('exit', (code) => (exited = code));
  // A test process that dies without afterAll must not leave slapd behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitUntil(() => exited !== undefined || ldapUp(url), 'slapd to answer');
    if (exited !== undefined) throw new Error(`slapd exited (${exited}):\n${log.slice(-2000)}`);
    run('ldapadd', ['-x', '-c', '-H', url, '-D', `cn=admin,${EXAMPLE_BASE}`, '-w', 'secret'], EXAMPLE_LDIF);
    run('ldapadd', ['-x', '-c', '-H', url, '-D', `cn=admin,${CORP_BASE}`, '-w', 'secret'], CORP_LDIF);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let logOffset = log.length;
  // slapd's log reaches this process a little after the operations it describes: a marker search, waited for in
  // the log, makes a read complete up to the moment it was asked for.
  let markers = 0;
  const logSince = async (offset: number): Promise<string> => {
    const marker = `flagstack-log-mark-${++markers}`;
    // not spawnSync: slapd writes its log synchronously, and a blocked event loop would stop reading it
    await new Promise<void>((resolve) => {
      execFile('ldapsearch', ['-x', '-H', url, '-s', 'base', '-b', '', `(description=${marker})`], { timeout: 5000 }, () => resolve());
    });
    await waitUntil(() => log.includes(marker), 'slapd to log the marker search', 5000);
    const end = log.indexOf('\n', log.indexOf(marker));
    return log.slice(offset, end < 0 ? log.length : end);
  };

  return {
    url,
    ldapsUrl,
    port,
    caPem: readFileSync(join(dir, 'tls.crt'), 'utf8'),
    caFile: join(dir, 'tls.crt'),
    dir,
    binds: async () => {
      const text = await logSince(logOffset);
      const out: string[] = [];
      for (const m of text.matchAll(/ BIND dn="([^"]*)" method=128$| do_bind: invalid dn \((.*)\)$/gm)) out.push(m[1] ?? m[2]!);
      // Anonymous binds are the log markers' own (and ldapsearch probes); a login never binds anonymously.
      return out.filter((name) => name !== '');
    },
    log: () => logSince(logOffset),
    resetLog: async () => {
      await logSince(logOffset);
      logOffset = log.length;
    },
    modify: (ldif, suffix = EXAMPLE_BASE) => run('ldapmodify', ['-x', '-H', url, '-D', `cn=admin,${suffix}`, '-w', 'secret'], ldif),
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (exited === undefined) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (exited === undefined) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
