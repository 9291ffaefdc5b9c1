// Shared by the index tests: small stand-in parsers with the real signatures (so the index's own logic is
// tested in isolation), and a canonical serialization of everything the index answers.
import type { DocumentParsers } from '../../src/core/index/analyze';
import type { ReviewIndex } from '../../src/core/index/types';
import type { BibEntry, Citation, CoreDiagnostic, ParseResult } from '../../src/core/model';
import type { GsnModule } from '../../src/core/gsn/types';
import { loadCorpus } from '../../src/core/corpus/corpus';

function scan(text: string, re: RegExp, syntax: Citation['syntax']): ParseResult<{ citations: Citation[]; crossRefs: [] }> {
  const citations: Citation[] = [];
  let group = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[0].length - m[1].length;
    const span = { start, end: start + m[1].length };
    citations.push({ key: m[1], keySpan: span, span, syntax, mode: 'normal', group: group++, groupSpan: span });
  }
  return { value: { citations, crossRefs: [] }, diagnostics: [] };
}

function entries(text: string, re: RegExp, format: BibEntry['format']): ParseResult<BibEntry[]> {
  const out: BibEntry[] = [];
  const diagnostics: CoreDiagnostic[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[0].indexOf(m[1]);
    const keySpan = { start, end: start + m[1].length };
    out.push({ key: m[1], type: 'article', format, span: { start: m.index!, end: m.index! + m[0].length }, keySpan, info: { title: `Title of ${m[1]}`, authors: [], keywords: [] } });
  }
  const broken = text.indexOf('@@');
  if (broken >= 0) diagnostics.push({ span: { start: broken, end: broken + 2 }, severity: 'error', code: 'bib-syntax', message: 'fake syntax error' });
  return { value: out, diagnostics };
}

/** Stand-ins: `@key` citations, `@type{key,` BibTeX, `"id": "key"` CSL-JSON, `- id: key` CSL-YAML and GSN. */
export const fakeParsers: DocumentParsers = {
  scanPandocCitations: (text) => scan(text, /(?<![\w@])@([A-Za-z][\w:-]*)/g, 'pandoc'),
  scanLatexCitations: (text) => scan(text, /\\cite\{([^}\s,]+)\}/g, 'latex'),
  parseBibtex: (text) => entries(text, /@\w+\{([^,\s{}]+),/g, 'bibtex'),
  paperInfo: (entry) => entry.info ?? { authors: [], keywords: [] },
  parseCslJson: (text) => entries(text, /"id"\s*:\s*"([^"]+)"/g, 'csl-json'),
  parseCslYaml: (text) => entries(text, /- id: (\S+)/g, 'csl-yaml'),
  inlineReferences: (items, { span }) => ({
    value: items.flatMap((item) => {
      const id = (item as { id?: unknown })?.id;
      return typeof id === 'string' ? [{ key: id, type: 'article', format: 'inline' as const, span, keySpan: span }] : [];
    }),
    diagnostics: [],
  }),
  parseGsnYaml: (text, uri) => {
    const elements = [...text.matchAll(/^(G\d+):\s*(.*)$/gm)].map((m) => {
      const idSpan = { start: m.index!, end: m.index! + m[1].length };
      const cites = scan(m[2], /(?<![\w@])@([A-Za-z][\w:-]*)/g, 'pandoc').value.citations.map((c) => {
        const offset = m.index! + m[0].length - m[2].length;
        const span = { start: c.keySpan.start + offset, end: c.keySpan.end + offset };
        return { ...c, keySpan: span, span, groupSpan: span };
      });
      return { id: m[1], idSpan, span: idSpan, type: 'Goal' as const, text: m[2], supportedBy: [], inContextOf: [], undeveloped: false, citations: cites, defeated: false, extra: {} };
    });
    const module: GsnModule = { uri, format: 'yaml', name: uri.slice(uri.lastIndexOf('/') + 1), uses: [], extends: [], elements };
    return { value: module, diagnostics: [] };
  },
  parseMarkdownSafetyCase: () => ({ value: undefined, diagnostics: [] }),
  checkSafetyCases: (modules) => {
    // Cross-file rule for the tests: an element id defined in more than one module.
    const seen = new Map<string, string[]>();
    for (const m of modules) for (const e of m.elements) seen.set(e.id, [...(seen.get(e.id) ?? []), m.uri]);
    const out = new Map<string, CoreDiagnostic[]>();
    for (const m of modules) {
      for (const e of m.elements) {
        if (seen.get(e.id)!.length < 2) continue;
        const list = out.get(m.uri) ?? [];
        list.push({ span: e.idSpan, severity: 'error', code: 'gsn-duplicate', message: `${e.id} defined in ${seen.get(e.id)!.length} modules` });
        out.set(m.uri, list);
      }
    }
    return out;
  },
  formatGsn2x: (module, d) => `${d.severity === 'error' ? 'Error' : 'Warning'}: (${module}) ${d.message}`,
  loadCorpus,
};

/** Every answer of the index in a stable textual form; two indexes over the same files must agree. */
export function snapshot(index: ReviewIndex): string {
  const docs = [...index.documents()].sort((a, b) => (a.uri < b.uri ? -1 : 1));
  const keys = [...index.keys()].sort();
  const out: unknown[] = [];
  for (const d of docs) {
    out.push(['doc', d.uri, d.kind, d.hash, d.reduced ?? null, d.citations, d.entries.map((e) => [e.key, e.aliases ?? [], e.span, e.keySpan]), d.note ?? null,
      d.bibliography?.files ?? null, d.safetyCase?.elements.map((e) => e.id) ?? null, index.diagnostics(d.uri)]);
  }
  for (const key of keys) {
    const resolved = new Set<string>();
    // Only documents with their own `bibliography:` see a different resolution than the workspace at large.
    for (const from of [undefined, ...docs.filter((d) => d.bibliography?.files.length).map((d) => d.uri)]) {
      const r = index.resolve(key, from);
      resolved.add(JSON.stringify(r ? [r.entries.map((e) => [e.uri, e.entry.key]), r.notes.map((n) => n.uri), r.corpus?.id ?? null, r.info] : null));
    }
    out.push(['key', key, [...resolved].sort(), index.citationsOf(key).map((s) => [s.uri, s.citation.keySpan])]);
  }
  out.push(['unresolved', index.unresolved().map((s) => [s.uri, s.citation.key, s.citation.keySpan.start])]);
  out.push(['diagnostics', [...index.allDiagnostics()].map(([uri, list]) => [uri, list.length])]);
  const facetValues = new Set<string>();
  for (const d of docs) for (const f of ['tags', 'methods', 'problems'] as const) for (const v of d.note?.[f] ?? []) facetValues.add(`${f}\u0000${v}`);
  for (const fv of [...facetValues].sort()) {
    const [f, v] = fv.split('\u0000') as ['tags' | 'methods' | 'problems', string];
    out.push(['facet', f, v, index.notesBy(f, v).map((n) => n.uri)]);
  }
  return JSON.stringify(out);
}

/** `snapshot` with object keys sorted: a cached analysis may build the same objects in another key order. */
export function sortedSnapshot(index: ReviewIndex): string {
  const sortKeys = (_key: string, value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  return JSON.stringify(JSON.parse(snapshot(index)), sortKeys);
}
