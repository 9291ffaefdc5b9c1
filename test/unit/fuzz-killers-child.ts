// Runs one parser on one generated input in a separate process, for killers that could hang or abort the
// process they run in (a synchronous hang cannot be interrupted by mocha; a V8 abort would end the whole run).
// argv: parser name, then the input as JSON `{ prefix, unit, count, suffix }`. Exits 0 when the parser returned.
import { parseGsnYaml } from '../../src/core/gsn/yaml';
import { parseCslYaml } from '../../src/core/parsers/csl';
import { parseFrontmatter } from '../../src/core/parsers/frontmatter';

export interface ChildInput {
  prefix: string;
  unit: string;
  count: number;
  suffix: string;
}

const PARSERS: Record<string, (text: string) => unknown> = {
  frontmatter: parseFrontmatter,
  'csl-yaml': parseCslYaml,
  'gsn-yaml': (text) => parseGsnYaml(text, 'mem:///ws/case.gsn.yaml'),
};

if (require.main === module) {
  const [parser, json] = process.argv.slice(2);
  const input = JSON.parse(json) as ChildInput;
  PARSERS[parser](input.prefix + input.unit.repeat(input.count) + input.suffix);
}

export const CHILD_PARSERS = Object.keys(PARSERS);
