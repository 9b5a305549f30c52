/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// ESM throughout: ts-jest emits ES modules, Node runs them with --experimental-vm-modules.
const transformFor = (tsconfig: string): Config['transform'] => ({
  '^.+\\.m?tsx?$': ['ts-jest', { useESM: true, tsconfig, diagnostics: false }],
});

const shared: Config = {
  extensionsToTreatAsEsm: ['.ts', '.mts'],
  moduleNameMapper: {
    '^@bigrays/(core|sql|aws)$': '<rootDir>/packages/$1/src/index.ts',
    '^@bigrays/core/(plugin|testing)$': '<rootDir>/packages/core/src/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

const config: Config = {
  rootDir: '.',
  testTimeout: 60_000,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  projects: [
    {
      ...shared,
      displayName: 'legacy-decorators',
      testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/examples/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.std\\.test\\.ts$', '/node_modules/'],
      transform: transformFor('<rootDir>/tsconfig.test.json'),
    },
    {
      ...shared,
      displayName: 'standard-decorators',
      testMatch: ['<rootDir>/packages/*/test/**/*.std.test.ts'],
      transform: transformFor('<rootDir>/tsconfig.test-standard.json'),
    },
  ],
};

export default config;
