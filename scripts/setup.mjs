// Everything `npm test` needs beyond node_modules: Debian tools (Chromium and ripgrep for the harness, pandoc
// and biber as unit-test oracles) and the cached code-server.
import { ensureCodeServer } from './lib/code-server-install.mjs';
import { ensureSystemTools } from './lib/system-deps.mjs';

export async function setup() {
  ensureSystemTools();
  await ensureCodeServer();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await setup();
    console.log('Set-up complete.');
  } catch (error) {
    console.error(`\nsetup: ${error.message}`);
    process.exit(1);
  }
}
