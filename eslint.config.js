import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lwcConfig from '@salesforce/eslint-config-lwc';

// The workbench's own page chrome and platform adapters are Lightning web components too.
const lwcFiles = ['force-app/**/lwc/**/*.js', 'sandbox/src/workbench/client/**/*.js'];

export default [
  {
    ignores: [
      '**/node_modules/**',
      '.sandbox/**',
      '.sf/**',
      '.sfdx/**',
      'coverage/**',
      '.tmp/**',
      'scripts/test/fixtures/**',
      'force-app/**/staticresources/**',
    ],
  },
  // Lightning Web Components: the Salesforce recommended rules.
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: lwcFiles })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/**/lwc/**/__mocks__/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  // TypeScript: service, stand-ins, scripts, benchmarks.
  ...tseslint.config({
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  }),
  {
    files: ['*.js', 'scripts/**/*.js', 'scripts/**/*.mjs'],
    ...js.configs.recommended,
    languageOptions: { globals: { ...globals.node }, sourceType: 'module' },
  },
];
