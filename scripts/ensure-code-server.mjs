// Installs (or verifies) the cached code-server used by `npm start`, the integration and the e2e tests.
import { ensureCodeServer } from './lib/code-server-install.mjs';

try {
  const layout = await ensureCodeServer();
  console.log(`code-server ready: ${layout.root}`);
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}
