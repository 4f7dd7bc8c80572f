// lib/ imports api/src/config.ts to emit the API's variables, so importing it must do nothing: no reads of
// process.env, no I/O. The module is bundled with esbuild and evaluated in a sandbox whose `process.env`
// records every access and whose `require` only offers typebox and node:os.
import { buildSync } from 'esbuild';
import path from 'node:path';
import vm from 'node:vm';

const ALLOWED = new Set(['@sinclair/typebox', '@sinclair/typebox/value', 'node:os']);

function loadInSandbox() {
  const envReads: string[] = [];
  const requested: string[] = [];
  const env = new Proxy<Record<string, string>>(
    { PORT: '9999' },
    {
      get(target, key) {
        envReads.push(String(key));
        return target[key as string];
      },
      ownKeys(target) {
        envReads.push('(keys)');
        return Reflect.ownKeys(target);
      },
      has(target, key) {
        envReads.push(String(key));
        return key in target;
      },
    },
  );
  const { outputFiles } = buildSync({
    entryPoints: [path.join(__dirname, '../../../api/src/config.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@sinclair/typebox', '@sinclair/typebox/*'],
    logLevel: 'silent',
  });
  const module = { exports: {} as Record<string, unknown> };
  const sandboxRequire = (id: string) => {
    requested.push(id);
    if (!ALLOWED.has(id)) throw new Error(`config.ts must not import ${id}`);
    return require(id);
  };
  const context = vm.createContext({ module, exports: module.exports, require: sandboxRequire, process: { env }, Buffer, URL });
  vm.runInContext(outputFiles[0].text, context, { filename: 'config.bundle.js' });
  return { exports: module.exports as typeof import('../../../api/src/config'), envReads, requested };
}

describe('importing api/src/config.ts', () => {
  it('reads no environment variable and loads nothing but typebox and node:os', () => {
    const { exports, envReads, requested } = loadInSandbox();
    expect(envReads).toEqual([]);
    expect([...new Set(requested)].every((id) => ALLOWED.has(id))).toBe(true);
    expect(exports.RUNTIME_ENV_VARS.length).toBeGreaterThan(50);
  });

  it('reads the environment only when loadConfig() is called, and only the one it is given', () => {
    const { exports, envReads } = loadInSandbox();
    expect(exports.loadConfig({ PORT: '1234' }).port).toBe(1234);
    expect(envReads).toEqual([]);
    expect(exports.loadConfig().port).toBe(9999);
    expect(envReads).toContain('PORT');
  });
});
