// Jest runs TypeScript transpile-only (ts-jest isolatedModules): type-checking is its own step
// (`npm run typecheck`), which keeps each suite at a few seconds instead of tens (IAC-NOTES.md A5).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
