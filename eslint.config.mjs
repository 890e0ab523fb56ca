// House rules that review used to enforce by eye (README: "Lint"). Unused exports are knip's job (knip.json):
// eslint-plugin-import's no-unused-modules does not work under flat config.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const services = ['account-context', 'conversation', 'insights', 'knowledge'];

// Files that Temporal bundles into the workflow sandbox (workflowsPath: workflows/index.ts and what it imports).
const workflowFiles = ['workflows/index.ts', 'workflows/escalation.ts', 'workflows/escalation-contract.ts', 'workflows/product-change-review.ts', 'workflows/iso-week.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection kills the process) and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      // A service reaches another only over its internal endpoint (its clients/ folder), never by importing it.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...services.map((service) => ({
              target: `./services/${service}`,
              from: './services',
              // A service's contracts.ts holds plain types of its internal endpoint, for its clients (see knowledge's).
              except: [`./${service}`, './shared', ...services.map((other) => `./${other}/contracts.ts`)],
              message: `services/${service} may import only its own folder, services/shared and other services' contracts.ts; reach another service through a client over its internal endpoint.`,
            })),
            {
              target: ['./gateway', './analytics', './workflows', './deploy'],
              from: services.map((service) => `./services/${service}`),
              except: ['./contracts.ts'],
              message: "Outside the services, only services/shared and a service's contracts.ts may be imported; reach a service through a client over its internal endpoint.",
            },
          ],
        },
      ],
    },
  },
  {
    // Temporal's rules for workflow code: the SDK's bundler refuses Node built-ins and the non-workflow @temporalio
    // packages; service, analytics and activity code (which does I/O) may be imported only as types. Math.random,
    // Date and setTimeout are fine: the SDK replaces them inside the sandbox with deterministic versions.
    files: workflowFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...builtinModules.flatMap((name) => [name, `node:${name}`]).map((name) => ({ name, message: 'Workflow code runs in a deterministic sandbox: no Node built-ins. Do I/O in an activity.' })),
            ...['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'].map((name) => ({
              name,
              message: 'Not loadable in the workflow sandbox; workflow code imports @temporalio/workflow and @temporalio/common only.',
            })),
          ],
          patterns: [
            {
              group: ['../*', './activities', './activities/*', './clients/*', './worker*', './replay', './schedules'],
              allowTypeImports: true,
              message: 'Workflow code may import this only with `import type`: it does I/O, which breaks replay.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'require', 'setImmediate', 'setInterval', 'fetch', 'crypto', 'performance', 'WeakRef', 'FinalizationRegistry'].map((name) => ({
          name,
          message: `${name} is not deterministic on replay (or not in the workflow sandbox); use @temporalio/workflow (sleep, uuid4, workflowInfo) or an activity.`,
        })),
      ],
    },
  },
);
