// The product's parsers behind the index's `DocumentParsers` seam.
import { loadCorpus } from '../corpus/corpus';
import { checkSafetyCases } from '../gsn/check';
import { formatGsn2x } from '../gsn/gsn2x';
import { parseMarkdownSafetyCase } from '../gsn/markdown';
import { parseGsnYaml } from '../gsn/yaml';
import { paperInfo, parseBibtex, parseBibtexPieces, parseBibtexSliced } from '../parsers/bibtex';
import { parseCslItems, parseCslJson, parseCslYaml } from '../parsers/csl';
import { scanLatexCitations, scanLatexCitationsSliced } from '../parsers/latex';
import { scanPandocCitations, scanPandocCitationsSliced } from '../parsers/pandoc';
import type { DocumentParsers } from './analyze';

export const defaultParsers: DocumentParsers = {
  scanPandocCitations,
  scanPandocCitationsSliced,
  scanLatexCitations,
  scanLatexCitationsSliced,
  parseBibtex,
  parseBibtexSliced,
  parseBibtexPieces,
  paperInfo,
  parseCslJson,
  parseCslYaml,
  inlineReferences: parseCslItems,
  parseGsnYaml,
  parseMarkdownSafetyCase,
  checkSafetyCases,
  formatGsn2x,
  loadCorpus,
};
