// The JMeter plan shipped in bench/jmeter/ cannot be run here (no JMeter on the machines): check that it is
// well-formed XML and holds the three requests of `npm run bench`, with the SDK key header.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const plan = readFileSync(join(__dirname, '..', '..', '..', 'bench', 'jmeter', 'flagstack.jmx'), 'utf8');

/** Checks that every element is closed in order (a small well-formedness check; no XML parser is a dependency). */
function unbalanced(xml: string): string | undefined {
  const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) return `unexpected </${name}>`;
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`;
  if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(body)) return 'bare ampersand';
  return undefined;
}

test('bench/jmeter/flagstack.jmx is well-formed and has the three requests', () => {
  expect(plan.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(unbalanced(plan)).toBeUndefined();
  const samplers = [...plan.matchAll(/<HTTPSamplerProxy[\s\S]*?<\/HTTPSamplerProxy>/g)].map((m) => ({
    path: /name="HTTPSampler.path">([^<]*)</.exec(m[0])![1],
    method: /name="HTTPSampler.method">([^<]*)</.exec(m[0])![1],
  }));
  expect(samplers).toEqual([
    { path: '/api/v1/flags/', method: 'GET' },
    { path: '/api/v1/identities/', method: 'GET' },
    { path: '/api/v1/identities/', method: 'POST' },
  ]);
  expect(plan).toContain('<stringProp name="Header.name">X-Environment-Key</stringProp>');
  expect(plan).toMatch(/"traits":\[\{"trait_key":"plan"/);
});
