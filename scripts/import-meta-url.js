// Injected into the CommonJS bundles so bundled ESM code that reads import.meta.url keeps working.
import { pathToFileURL } from 'node:url';

export const importMetaUrl = pathToFileURL(__filename).href;
