// Graph helpers over parsed safety cases, shared by the checks and the editor features (completion,
// navigation, hovers). Everything here is pure and linear in the size of the graph.
import type { Citation } from '../model';
import type { GsnElement, GsnElementType, GsnModule, GsnRef } from './types';

export const GSN_ELEMENT_TYPES: readonly GsnElementType[] = [
  'Goal',
  'Strategy',
  'Solution',
  'Context',
  'Assumption',
  'Justification',
  'CounterGoal',
  'CounterSolution',
];

/** The type an id implies by its prefix, as gsn2x reads it (longest prefix first: `CSn` before `C`). */
export function typeFromId(id: string): GsnElementType | undefined {
  if (id.startsWith('CG')) return 'CounterGoal';
  if (id.startsWith('G')) return 'Goal';
  if (id.startsWith('CSn')) return 'CounterSolution';
  if (id.startsWith('Sn')) return 'Solution';
  if (id.startsWith('S')) return 'Strategy';
  if (id.startsWith('C')) return 'Context';
  if (id.startsWith('A')) return 'Assumption';
  if (id.startsWith('J')) return 'Justification';
  return undefined;
}

// UTF-16 code units sort astral characters (surrogates, 0xD800–0xDFFF) below U+E000–U+FFFF; code points
// (and UTF-8 bytes, which is how gsn2x's BTreeMap orders ids) sort them above. This remaps the unit.
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Orders strings by code point, the order gsn2x reports ids and modules in. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** gsn2x's module name for a file without `module.name`: the path with separators and punctuation as `_`. */
export function moduleNameFromPath(uri: string): string {
  // A URI scheme adds nothing to the name and would differ between the CLI and the editor.
  const path = uri.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  return path.replace(/[.\- /\\:'"~]/g, '_');
}

/** Resolves a `module.uses` entry against the file naming it, as gsn2x does (no normalisation of `..`). */
export function resolveUsesPath(fromUri: string, used: string): string {
  const target = used.replace(/\\/g, '/');
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(fromUri);
  if (target.startsWith('/')) return scheme ? scheme[0] + target : target;
  const from = fromUri.replace(/\\/g, '/');
  const slash = from.lastIndexOf('/');
  const dir = slash < 0 ? '' : from.slice(0, slash);
  if (scheme && dir.length < scheme[0].length) return `${scheme[0]}/${target}`;
  return dir === '' ? target : `${dir}/${target}`;
}

/**
 * A key under which two spellings of the same file meet: `.`/`..` segments resolved and percent-escapes
 * decoded (workspace URIs are escaped, `uses:` entries are written as plain paths).
 */
export function fileKey(uri: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(uri)?.[0] ?? '';
  const segments: string[] = [];
  for (const raw of uri.slice(scheme.length).split('/')) {
    let segment = raw;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // A stray `%` is part of the name.
    }
    if (segment === '.') continue;
    const last = segments[segments.length - 1];
    // `..` climbs one directory, but never above the root (the empty first segment of `/…`).
    if (segment === '..' && last !== undefined && last !== '..' && !(last === '' && segments.length === 1)) segments.pop();
    else segments.push(segment);
  }
  return scheme + segments.join('/');
}

export interface ElementSite {
  module: GsnModule;
  element: GsnElement;
}

/** Element id → where it is defined. The first definition wins, as in gsn2x (later ones are C07). */
export function elementIndex(modules: readonly GsnModule[]): Map<string, ElementSite> {
  const index = new Map<string, ElementSite>();
  for (const module of modules) {
    for (const element of module.elements) {
      if (!index.has(element.id)) index.set(element.id, { module, element });
    }
  }
  return index;
}

export type GsnRelation = 'supportedBy' | 'inContextOf';

export interface GraphLink {
  relation: GsnRelation | 'challenges';
  /** The element holding the reference. */
  from: ElementSite;
  ref: GsnRef;
}

/** Elements referring to `id` (supportedBy, inContextOf or challenges), in module then document order. */
export function parentsOf(modules: readonly GsnModule[], id: string): GraphLink[] {
  const links: GraphLink[] = [];
  for (const module of modules) {
    for (const element of module.elements) {
      const from = { module, element };
      for (const ref of element.supportedBy) if (ref.id === id) links.push({ relation: 'supportedBy', from, ref });
      for (const ref of element.inContextOf) if (ref.id === id) links.push({ relation: 'inContextOf', from, ref });
      const challenged = element.challenges ?? element.challengesRelation?.from;
      if (challenged?.id === id) links.push({ relation: 'challenges', from, ref: challenged });
    }
  }
  return links;
}

/** What an element refers to, each resolved through the index when it exists. */
export function childrenOf(
  element: GsnElement,
  index: ReadonlyMap<string, ElementSite>,
): { relation: GsnRelation | 'challenges'; ref: GsnRef; target?: ElementSite }[] {
  const out: { relation: GsnRelation | 'challenges'; ref: GsnRef; target?: ElementSite }[] = [];
  for (const ref of element.supportedBy) out.push({ relation: 'supportedBy', ref, target: index.get(ref.id) });
  for (const ref of element.inContextOf) out.push({ relation: 'inContextOf', ref, target: index.get(ref.id) });
  const challenged = element.challenges ?? element.challengesRelation?.from;
  if (challenged) out.push({ relation: 'challenges', ref: challenged, target: index.get(challenged.id) });
  return out;
}

/**
 * Which element types a relation of `source` may point to (gsn2x's V04 rule): Goals and Strategies are
 * supported by Goals, Strategies, Solutions and counter elements and set in the context of Contexts,
 * Assumptions and Justifications; CounterGoals are supported by counter elements; nothing else may refer.
 */
export function allowedTargetTypes(source: GsnElementType | undefined, relation: GsnRelation): GsnElementType[] {
  const argues = source === 'Goal' || source === 'Strategy';
  if (relation === 'inContextOf') return argues ? ['Justification', 'Assumption', 'Context'] : [];
  if (argues) return ['Goal', 'CounterGoal', 'Solution', 'CounterSolution', 'Strategy'];
  if (source === 'CounterGoal') return ['CounterGoal', 'CounterSolution'];
  return [];
}

/**
 * Elements `element` may refer to through `relation` without a V04/V06/V05 complaint, in id order:
 * the right type, not itself, not already listed. A supportedBy target must also not be an ancestor
 * (that would close a cycle, C04).
 */
export function validTargets(
  element: GsnElement,
  relation: GsnRelation,
  modules: readonly GsnModule[],
): ElementSite[] {
  const allowed = new Set(allowedTargetTypes(element.type, relation));
  if (allowed.size === 0) return [];
  const listed = new Set((relation === 'supportedBy' ? element.supportedBy : element.inContextOf).map((r) => r.id));
  const ancestors = relation === 'supportedBy' ? supportAncestors(modules, element.id) : new Set<string>();
  const out: ElementSite[] = [];
  for (const site of elementIndex(modules).values()) {
    const { id, type } = site.element;
    if (id === element.id || listed.has(id) || ancestors.has(id)) continue;
    if (type !== undefined && allowed.has(type)) out.push(site);
  }
  return out.sort((a, b) => compareCodePoints(a.element.id, b.element.id));
}

/** Every element from which `id` can be reached through supportedBy (iterative, cycle-safe). */
function supportAncestors(modules: readonly GsnModule[], id: string): Set<string> {
  const supporters = new Map<string, string[]>();
  for (const module of modules) {
    for (const element of module.elements) {
      for (const ref of element.supportedBy) {
        const list = supporters.get(ref.id);
        if (list) list.push(element.id);
        else supporters.set(ref.id, [element.id]);
      }
    }
  }
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    for (const parent of supporters.get(stack.pop() as string) ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return seen;
}

/** What a paper note says about a citation key; undefined when the key resolves nowhere. */
export type EvidenceResolver = (key: string) => { status?: string } | undefined;

export type EvidenceState = 'ok' | 'unresolved' | 'contested' | 'retracted';

export interface CitedEvidence {
  citation: Citation;
  state: EvidenceState;
  status?: string;
}

export interface EvidenceStatus {
  /** Worst state over the citations; `none` when the element cites nothing. */
  overall: EvidenceState | 'none';
  /** Whether the element points at evidence at all (a citation or a `url`). */
  hasEvidence: boolean;
  items: CitedEvidence[];
}

const STATE_RANK: Record<EvidenceState, number> = { ok: 0, unresolved: 1, contested: 2, retracted: 3 };

/** Classifies a paper-note status; `retracted`/`contested` (any case, also `disputed`) weaken evidence. */
export function evidenceStateOf(status: string | undefined): EvidenceState {
  const s = status?.trim().toLowerCase();
  if (s === 'retracted' || s === 'withdrawn') return 'retracted';
  if (s === 'contested' || s === 'disputed') return 'contested';
  return 'ok';
}

/** How well the papers an element cites hold up, from the user's notes. */
export function evidenceStatus(element: GsnElement, resolve: EvidenceResolver): EvidenceStatus {
  const items: CitedEvidence[] = [];
  let overall: EvidenceState | 'none' = 'none';
  for (const citation of element.citations) {
    const paper = resolve(citation.key);
    const state: EvidenceState = paper ? evidenceStateOf(paper.status) : 'unresolved';
    items.push(paper?.status === undefined ? { citation, state } : { citation, state, status: paper.status });
    if (overall === 'none' || STATE_RANK[state] > STATE_RANK[overall]) overall = state;
  }
  return { overall, hasEvidence: items.length > 0 || element.url !== undefined, items };
}
