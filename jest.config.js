// Jest runs TypeScript transpile-only (ts-jest isolatedModules): type-checking is its own step
// (`npm run typecheck`), which keeps each suite at a few seconds instead of tens (IAC-NOTES.md A5).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
    '/node_modules/(cookie|openid-client|oauth4webapi|jose)/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.js',
  },
  // ESM-only dependencies are transformed (see test/support/esm-to-cjs.js); everything else in node_modules is not.
  transformIgnorePatterns: ['/node_modules/(?!(cookie|openid-client|oauth4webapi|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // One-time preparation (e.g. the Node 22 build of better-sqlite3) happens before any test runs.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
