// A small, honest reader of the root Dockerfile and .dockerignore for the tests: instructions with continuation
// lines joined, grouped by stage; exec-form (JSON) arguments parsed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export function readDockerfile(path = join(ROOT, 'Dockerfile')): { args: Record<string, string>; stages: Stage[] } {
  const text = readFileSync(path, 'utf8');
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${current}${line}`.trim());
    current = '';
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile: cannot read ${line}`);
    const keyword = m[1].toUpperCase();
    const rest = m[2];
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      const from = f[1].replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? `\${${name}}`);
      stages.push({ from, name: f[2], instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [name, value = ''] = rest.split('=');
      args[name] = value;
    } else {
      stages[stages.length - 1].instructions.push({ keyword, args: rest });
    }
  }
  return { args, stages };
}

/** The JSON array of an exec-form instruction (CMD ["node", …]); throws for the shell form. */
export function execForm(args: string): string[] {
  const json = args.replace(/^--\S+\s+/g, '').replace(/^(?:--\S+\s+)*CMD\s+/, '');
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
}

/** ENV of a stage, both `ENV A=1 B=2` and `ENV A 1` forms. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    if (/^\w+\s+[^=]*$/.test(i.args)) {
      const [name, ...value] = i.args.split(/\s+/);
      env[name] = value.join(' ');
    } else {
      for (const pair of i.args.split(/\s+/).filter(Boolean)) {
        const eq = pair.indexOf('=');
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
  }
  return env;
}

/** The patterns of .dockerignore (comments and blank lines dropped). */
export function readDockerignore(path = join(ROOT, '.dockerignore')): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Whether a context path is excluded by a .dockerignore pattern (the subset of the syntax the file uses). */
export function ignored(patterns: string[], path: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\.\//, '').replace(/\/$/, '');
    const re = new RegExp(
      `^${pattern
        .split('/')
        .map((seg) => (seg === '**' ? '(?:.*)' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\(\?:\.\*\)\//g, '(?:.*/)?')}(?:/.*)?$`,
    );
    if (re.test(path)) out = !negate;
  }
  return out;
}
