// Safety-case argument graphs in Goal Structuring Notation, read from gsn2x YAML or our Markdown convention.
import type { Citation, Span } from '../model';

export type GsnElementType =
  | 'Goal'
  | 'Strategy'
  | 'Solution'
  | 'Context'
  | 'Assumption'
  | 'Justification'
  | 'CounterGoal'
  | 'CounterSolution';

/** A reference to another element by id, with where it is written. */
export interface GsnRef {
  id: string;
  span: Span;
}

export interface GsnElement {
  id: string;
  idSpan: Span;
  /** The whole element definition. */
  span: Span;
  /** Undefined when the id has no known prefix and there is no `nodeType` (V01). */
  type?: GsnElementType;
  text: string;
  textSpan?: Span;
  supportedBy: GsnRef[];
  inContextOf: GsnRef[];
  undeveloped: boolean;
  url?: string;
  nodeType?: string;
  /** Citations found in `text` plus keys listed under `cites:`. */
  citations: Citation[];
  challenges?: GsnRef;
  defeated: boolean;
  /** Every other attribute, as gsn2x keeps them (layers, classes, …). */
  extra: Record<string, unknown>;
  /** `challenges: X -> Y`: the challenged relation (then `challenges` is unset). */
  challengesRelation?: { from: GsnRef; to: GsnRef; span: Span };
  /** Assurance claim points: `acp: { ACP1: [S1, C1] }`. */
  acp?: { name: string; refs: GsnRef[] }[];
  /** `defeatedRelation`: ids whose link from this element is defeated. */
  defeatedRelation?: GsnRef[];
  /** Where `nodeType` is written, when it is. */
  nodeTypeSpan?: Span;
}

export interface GsnModule {
  uri: string;
  format: 'yaml' | 'markdown';
  /** `module.name`, or derived from the path as gsn2x does. */
  name: string;
  brief?: string;
  uses: GsnRef[];
  extends: {
    module: string;
    develops: Record<string, string[]>;
    span: Span;
    /** Where the extended module's name is written. */
    moduleSpan?: Span;
    /** `develops` with locations: the foreign (developed) id and the local ids developing it. */
    developRefs?: { foreign: GsnRef; local: GsnRef[] }[];
  }[];
  elements: GsnElement[];
  /** Where `module.name` (Markdown: `gsn-module`) is written; undefined when the name is derived from the path. */
  nameSpan?: Span;
}
