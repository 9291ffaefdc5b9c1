// The integration suites, shared by the code-server runner and the desktop runner. A suite is the workspace
// VS Code opens plus the glob (relative to out/test) of compiled test files the mocha entry loads.
export const INTEGRATION_SUITES = [
  { name: 'workspace', folder: 'test/fixtures/workspace', glob: 'integration/*.test.js' },
  { name: 'multi-root', workspaceFile: 'test/fixtures/multiroot.code-workspace', glob: 'integration/multiroot/*.test.js' },
  // Workspace trust on and the folder untrusted: the extension must work in Restricted Mode.
  {
    name: 'restricted', folder: 'test/fixtures/workspace', glob: 'integration/restricted/*.test.js', workspaceTrust: true,
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false },
  },
  // Churn writes, renames and deletes 1,000 files: it gets a throw-away copy of its seed workspace.
  { name: 'churn', folder: 'test/fixtures/churn', glob: 'integration/churn/*.test.js', copyFolder: true, timeLimitSeconds: 300 },
  // Load: the benchmark workspace (10,000 notes, 20,000-entry .bib), generated first if missing.
  { name: 'reliability', folder: 'bench/.workspace', glob: 'integration/reliability/*.test.js', prepare: 'integration/reliability/prepare.js', timeLimitSeconds: 300 },
];

/** The installed-.vsix check: activation tests only, against the packaged copy. */
export const VSIX_SUITE = { name: 'installed-vsix', folder: 'test/fixtures/workspace', glob: 'integration/activation.test.js' };

export function selectSuites(names) {
  if (!names?.length) return INTEGRATION_SUITES;
  const unknown = names.filter((name) => !INTEGRATION_SUITES.some((suite) => suite.name === name));
  if (unknown.length) {
    throw new Error(`Unknown suite ${unknown.join(', ')}; known: ${INTEGRATION_SUITES.map((s) => s.name).join(', ')}`);
  }
  return INTEGRATION_SUITES.filter((suite) => names.includes(suite.name));
}
