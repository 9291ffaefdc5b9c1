// Injected into the CommonJS bundles so bundled ESM code that reads import.meta.url keeps working.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
