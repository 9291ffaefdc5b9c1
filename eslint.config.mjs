import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'bench/.workspace/**', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is the domain: it must run in the CLI and in plain Node tests, so it never sees the editor API.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core must not depend on the VS Code API; add an adapter in src/vscode/.' }],
          patterns: [{ group: ['**/vscode/**', '../vscode/*', '../../vscode/*'], message: 'src/core must not import editor adapters.' }] },
      ],
    },
  },
  {
    // The webview runs in a browser sandbox: no host code, no Node built-ins, only the shared protocol.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'webview code runs in the browser.' }],
          patterns: [{ group: ['node:*', '**/src/vscode/**', '**/src/core/index/**'], message: 'webview code may import only the shared protocol and view helpers.' }] },
      ],
    },
  },
);
