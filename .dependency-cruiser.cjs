// Which part of Handover may import which (docs/architecture.md, "Arrows"). Checked by
// `pnpm deps:check` and by scripts/test/dependencyRules.test.ts, so a broken rule fails `npm test`.
// Paths are as imports resolve: a workspace package (`@handover/core`) is its folder.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-edge',
      comment: 'core is the domain: vendors, the API and the apps plug into it, never the reverse.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^(packages/(integrations|api|client)|apps/(server|worker|portal|admin|sandbox))/' },
    },
    {
      name: 'db-imports-no-domain',
      comment: 'The model knows nothing of the rules built on it.',
      severity: 'error',
      from: { path: '^prisma-free-db/' },
      to: { path: '^(packages/(core|integrations|api|client)|apps/)' },
    },
    {
      name: 'browser-apps-import-no-server-code',
      comment: 'The portal and back office ship to browsers: contracts, the AppRouter type and the client only.',
      severity: 'error',
      from: { path: '^apps/(portal|admin)/src/' },
      to: { path: '^(packages/(core|integrations)|prisma-free-db|apps/(server|worker|sandbox))/' },
    },
    {
      name: 'browser-apps-take-only-the-api-type',
      comment: 'The AppRouter is a type; importing the router itself would bundle the server.',
      severity: 'error',
      from: { path: '^apps/(portal|admin)/src/' },
      to: { path: '^packages/api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sandbox-imports-nothing-of-the-product',
      comment: "An emulator follows the vendor's documentation, so a client's bug cannot hide in it.",
      severity: 'error',
      from: { path: '^apps/sandbox/' },
      to: { path: '^(packages|prisma-free-db|scripts|apps/(server|worker|portal|admin))/' },
    },
    {
      name: 'integrations-import-no-api',
      comment: 'Drivers and gateways implement core contracts; the API calls core, not them.',
      severity: 'error',
      from: { path: '^packages/integrations/' },
      to: { path: '^(packages/(api|client)|apps/(server|worker|portal|admin))/' },
    },
    {
      name: 'client-takes-only-the-api-type',
      comment: 'The SDK ships to developers: the AppRouter type and tRPC, never the server.',
      severity: 'error',
      from: { path: '^packages/client/src/' },
      to: { path: '^(packages/(core|integrations|cli)|prisma-free-db|apps)/' },
    },
    {
      name: 'client-imports-the-api-as-a-type',
      comment: 'Importing the router itself would bundle the server into the SDK.',
      severity: 'error',
      from: { path: '^packages/client/src/' },
      to: { path: '^packages/api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-calls-through-the-client',
      comment: 'The CLI is a developer of Handover like any other: it uses the SDK and the shared schemas.',
      severity: 'error',
      from: { path: '^packages/cli/src/' },
      to: { path: '^(packages/(core|integrations|api)|prisma-free-db|apps)/' },
    },
    {
      name: 'contracts-are-browser-safe',
      comment:
        'Contracts are zod schemas and pure functions the browser loads: nothing of the server, nothing of Node. ' +
        'libphonenumber-js (pure, browser-safe) lets a phone number be checked by the same rules on both sides.',
      severity: 'error',
      from: { path: '^packages/contracts/src/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^packages/contracts/', '(^|/)node_modules/(zod|libphonenumber-js)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
