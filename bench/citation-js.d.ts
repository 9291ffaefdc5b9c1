// @citation-js ships no type declarations; the benchmark needs only this much.
declare module '@citation-js/core' {
  export class Cite {
    constructor(input: string);
    data: unknown[];
  }
}
declare module '@citation-js/plugin-bibtex';
