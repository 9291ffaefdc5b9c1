// Prerequisites of the e2e harness and the integration runner: Debian's Chromium and ripgrep (installed with
// apt-get when root, else a clear message) and the cached code-server (installed or verified).
import { ensureCodeServer } from './lib/code-server-install.mjs';
import { ensureSystemTools, SYSTEM_TOOLS } from './lib/system-deps.mjs';

try {
  ensureSystemTools(SYSTEM_TOOLS.filter((tool) => tool.command === 'chromium' || tool.command === 'rg'));
  const layout = await ensureCodeServer();
  console.log(`code-server ready: ${layout.root}`);
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}
