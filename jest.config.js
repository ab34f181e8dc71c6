import { jestConfig } from '@salesforce/sfdx-lwc-jest/config.js';

export default {
  ...jestConfig,
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/scripts/test/fixtures'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/callout-service/',
    '<rootDir>/emulators/',
    '<rootDir>/scripts/',
    '<rootDir>/bench/',
  ],
  collectCoverageFrom: ['force-app/**/lwc/**/*.js', '!**/__tests__/**'],
};
