import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'client/dist/', 'dist/', 'dist.partial/', 'data/', 'db/migrations/', 'test-results/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  { files: ['client/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    // Pure modules: rules and arithmetic with no I/O (no server, database, file system or process), so that
    // they stay unit-testable and mutation-testable alone. client/src/lib/time.ts reuses server/shared/zone.ts.
    files: [
      'server/**/rules.ts',
      'server/**/allocation.ts',
      'server/shared/money.ts',
      'server/shared/zone.ts',
      'server/shared/time.ts',
      'server/bookings/intervals.ts',
      'server/bookings/recurrence.ts',
      'server/bookings/input.ts',
      'server/invoices/chain.ts',
      'server/invoices/document.ts',
      'server/invoices/vat-lines.ts',
      'server/invoices/wording.ts',
      'server/invoices/mentions.ts',
      'server/invoices/close-drafts.ts',
      'server/invoices/credit-notes.ts',
      'server/closing/warnings.ts',
      'server/members/siret.ts',
      'server/resources/opening-hours.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['fastify', 'fastify-*', '@fastify/*', 'better-sqlite3', 'drizzle-orm*', 'node:fs*', 'node:child_process', 'node:net', 'node:http*', '**/repository', '**/db/index', '**/context'],
        },
      ],
    },
  },
);
