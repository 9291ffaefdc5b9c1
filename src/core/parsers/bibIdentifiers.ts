// DOI, URL and arXiv id clean-up shared by the BibTeX and CSL readers. Identifiers are not prose, so they
// get only brace and escape removal, never dash or quote ligatures.

/** Removes braces and the escapes people put into identifiers (`10.1000/a\_b`, `\url{…}`), trims. */
export function plainIdentifier(s: string): string {
  return s
    .replace(/\\(?:url|href|path)\s*(?=\{)/g, '')
    .replace(/\\([_%&#$~])/g, '$1')
    .replace(/[{}]/g, '')
    .trim();
}

/** `https://doi.org/10.1/x`, `doi:10.1/x` and `10.1/x` all become `10.1/x`. */
export function normalizeDoi(s: string): string {
  return plainIdentifier(s)
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '')
    .trim();
}

const ARXIV_ID = String.raw`(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?`;
const ARXIV_URL = new RegExp(String.raw`arxiv\.org\/(?:abs|pdf|html)\/${ARXIV_ID}`, 'i');
const ARXIV_DOI = new RegExp(String.raw`^10\.48550\/arxiv\.${ARXIV_ID}`, 'i');
const ARXIV_MENTION = new RegExp(String.raw`arxiv:\s*${ARXIV_ID}`, 'i');
const BARE_ARXIV = new RegExp(String.raw`^(?:arxiv:\s*)?${ARXIV_ID}$`, 'i');

/** An arXiv id (without version) written as an eprint value: `2301.00001`, `arXiv:2301.00001v2`, `hep-th/9901001`. */
export function arxivFromEprint(eprint: string): string | undefined {
  return BARE_ARXIV.exec(plainIdentifier(eprint))?.[1];
}

/** An arXiv id found in a URL, a DOI (`10.48550/arXiv.…`) or prose such as "arXiv preprint arXiv:2301.00001". */
export function arxivFromText(kind: 'url' | 'doi' | 'text', s: string): string | undefined {
  const pattern = kind === 'url' ? ARXIV_URL : kind === 'doi' ? ARXIV_DOI : ARXIV_MENTION;
  return pattern.exec(s)?.[1];
}
