#!/usr/bin/env node
// Installs the Debian packages the test suites need when they are missing (as root), or says what to install.
// The list grows with the suites: each entry names the package and a file whose presence proves it is installed.
'use strict';
const { existsSync, unlinkSync, writeFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');

/** Debian packages the tests use, each with a file that proves it is installed. */
const REQUIRED = [
  // The admin UI's end-to-end tests (test/e2e) drive Debian's chromium through playwright-core.
  { name: 'chromium', proof: '/usr/bin/chromium' },
  // The LDAP tests (test/api/auth/ldap*, test/api/cli) start their own throwaway slapd (test/support/ldap-server.ts).
  { name: 'slapd', proof: '/usr/sbin/slapd' },
  { name: 'ldap-utils', proof: '/usr/bin/ldapadd' },
];

const missing = REQUIRED.filter((p) => !existsSync(p.proof));
if (missing.length === 0) process.exit(0);

const names = missing.map((p) => p.name);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`[pretest] missing Debian packages: ${names.join(' ')}`);
  console.error(`[pretest] install them with: sudo apt-get install -y ${names.join(' ')}`);
  process.exit(1);
}
console.log(`[pretest] installing Debian packages: ${names.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
// slapd: no database of its own (the tests make theirs), and no system daemon started by the package (policy-rc.d).
if (names.includes('slapd')) execFileSync('debconf-set-selections', { input: 'slapd slapd/no_configuration boolean true\n' });
const policy = '/usr/sbin/policy-rc.d';
const ownPolicy = !existsSync(policy);
if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: 'inherit', env });
} finally {
  if (ownPolicy) unlinkSync(policy);
}
