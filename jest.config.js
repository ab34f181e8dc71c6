import { jestConfig } from '@salesforce/sfdx-lwc-jest/config.js';

export default {
  ...jestConfig,
  transform: {
    ...jestConfig.transform,
    '^.+\\.(js|ts|html|css)$': '<rootDir>/jest/lwc-transformer.cjs',
  },
  moduleNameMapper: {
    // Records navigation requests so tests can assert them (getNavigateCalledWith).
    '^lightning/navigation$': '<rootDir>/jest/mocks/lightning/navigation',
  },
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/jest/sa11y-setup.js'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/scripts/test/fixtures'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/callout-service/',
    '<rootDir>/emulators/',
    '<rootDir>/scripts/',
    '<rootDir>/bench/',
    '<rootDir>/sandbox/',
  ],
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!**/__tests__/**'],
  coverageThreshold: {
    global: { lines: 90 },
  },
};
