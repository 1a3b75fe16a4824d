// The layer rule of shared/DESIGN.md, enforced: each folder imports only from the layers above it.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'url', 'stream', 'util', 'zlib'];
const noNode = nodeBuiltins.map((name) => ({ group: [name], message: 'this layer never uses Node built-ins (DESIGN.md layers)' }));
const noOrt = [{ group: ['onnxruntime-node', 'onnxruntime-*'], message: 'ONNX Runtime is used only from engine/runtime (DESIGN.md layers)' }];
const noElectron = [{ group: ['electron'], message: 'electron is used only by electron/ (DESIGN.md layers)' }];
const noReact = [{ group: ['react', 'react-dom', 'react-dom/*', '@xyflow/*'], message: 'React is used only by renderer/ (DESIGN.md layers)' }];
const noUpper = (folders) => folders.map((f) => ({ group: [`**/${f}/**`, `**/${f}`], message: `this layer may not import ${f}/ (DESIGN.md layers)` }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'renderer/dist/**', 'electron/dist/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['engine/core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noNode, ...noOrt, ...noElectron, ...noReact, ...noUpper(['runtime', 'host', 'electron', 'renderer'])] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require'],
    },
  },
  {
    // the StudioApi contract: types and zod schemas only, shared by renderer, host and electron
    files: ['engine/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noNode, ...noOrt, ...noElectron, ...noReact, ...noUpper(['runtime', 'host', 'electron', 'renderer'])] }] },
  },
  {
    files: ['engine/runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noElectron, ...noReact, ...noUpper(['host', 'electron', 'renderer'])] }] },
  },
  {
    files: ['engine/host/**/*.ts', 'engine/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noElectron, ...noReact, ...noUpper(['electron', 'renderer'])] }] },
  },
  {
    files: ['electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noReact, ...noOrt, ...noUpper(['renderer'])] }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noNode, ...noOrt, ...noElectron, ...noUpper(['runtime', 'host', 'electron'])] }] },
  },
);
