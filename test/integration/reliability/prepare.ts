// Run by the integration runner before the reliability suite (its `prepare`): makes sure the benchmark
// workspace exists (10,000 notes, 20,000-entry .bib, 5 MB review), generating it when missing or outdated.
import * as path from 'node:path';
import { ensureWorkspace, ENTRY_COUNT, NOTE_COUNT } from '../../../bench/generate';

const benchDir = path.resolve(__dirname, '../../../../bench');
const started = Date.now();
const ws = ensureWorkspace(benchDir, (message) => console.log(`  ${message}`));
console.log(`  benchmark workspace ready at ${ws.root}: ${NOTE_COUNT} notes, ${ENTRY_COUNT} entries (${Date.now() - started} ms)`);
