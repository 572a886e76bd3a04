// Lint: ESLint's and typescript-eslint's recommended rules, without type-aware rules
// (those would double the time of `npm test` on a Raspberry Pi-sized machine).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build*/**', 'dist/**', 'node_modules/**', 'daemon/console/page-assets.generated.js', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
);
