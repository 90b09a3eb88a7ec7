// Workspace boundaries the build enforces (issue 18): no import reaches into another workspace by a relative path
// — each workspace is imported by its package name, through what its package.json exports, and only by a
// workspace that declares it as a dependency. The dashboard (web, @scorecard/charts) imports no Node built-in and
// takes the contracts from their index. Imports are read by TypeScript's own pre-processor (static, re-export,
// dynamic and type imports alike), not by a pattern over the text.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
interface Workspace {
  dir: string;
  name: string;
  deps: Set<string>;
}
const WORKSPACES: Workspace[] = rootPkg.workspaces.map((w) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, w, 'package.json'), 'utf8'));
  return {
    dir: join(ROOT, w),
    name: pkg.name as string,
    deps: new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]),
  };
});
const OWN_NAMES = new Set(WORKSPACES.map((w) => w.name));
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const SKIP = new Set(['node_modules', 'dist', 'cdk.out', '.vite', 'coverage']);

const walk = (d: string): string[] =>
  readdirSync(d).flatMap((e) => {
    if (SKIP.has(e) || e.startsWith('.')) return [];
    const p = join(d, e);
    return statSync(p).isDirectory() ? walk(p) : SOURCE.test(e) ? [p] : [];
  });

/** The deepest workspace holding a path (web/charts lies inside web). */
function workspaceOf(path: string): Workspace | undefined {
  return WORKSPACES.filter((w) => path === w.dir || path.startsWith(w.dir + sep)).sort(
    (a, b) => b.dir.length - a.dir.length,
  )[0];
}

function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** What is wrong with one file's imports, as "file → specifier: reason". */
function problems(file: string, text: string): string[] {
  const own = workspaceOf(file);
  const out: string[] = [];
  // The dashboard's code runs in the browser; its build configuration (vite.config.ts) runs in Node.
  const isWeb =
    (own?.name === '@scorecard/web' || own?.name === '@scorecard/charts') &&
    !/\.config\.[mc]?[jt]s$/.test(file);
  for (const spec of importsOf(text)) {
    const where = `${relative(ROOT, file)} → ${spec}`;
    if (spec.startsWith('.')) {
      const target = workspaceOf(resolve(dirname(file), spec));
      if (target !== own)
        out.push(`${where}: reaches into ${target?.name ?? 'a folder outside the workspaces'}`);
      continue;
    }
    const pkgName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (pkgName && OWN_NAMES.has(pkgName) && own && pkgName !== own.name && !own.deps.has(pkgName)) {
      out.push(`${where}: ${own.name} does not declare ${pkgName}`);
    }
    if (isWeb && (spec.startsWith('node:') || builtinModules.includes(spec))) {
      out.push(`${where}: a Node built-in in browser code`);
    }
    if (isWeb && spec.startsWith('@scorecard/data-contracts/')) {
      out.push(`${where}: the dashboard takes the contracts from their index`);
    }
  }
  return out;
}

const FILES = WORKSPACES.flatMap((w) => walk(w.dir)).filter((f, i, all) => all.indexOf(f) === i);

describe('workspace boundaries', () => {
  it('reads the imports of every source file of every workspace', () => {
    expect(FILES.length).toBeGreaterThan(250);
    for (const w of WORKSPACES) expect(FILES.some((f) => workspaceOf(f) === w)).toBe(true);
  });

  it('no import crosses a workspace except by package name, declared as a dependency', () => {
    const found = FILES.filter((f) => workspaceOf(f)).flatMap((f) => problems(f, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the dashboard imports the contracts index, and no Node built-in', () => {
    const webFiles = FILES.filter((f) =>
      ['@scorecard/web', '@scorecard/charts'].includes(workspaceOf(f)?.name ?? ''),
    ).filter((f) => !f.includes(`${sep}test`));
    const specs = webFiles.flatMap((f) => importsOf(readFileSync(f, 'utf8')));
    expect(specs).toContain('@scorecard/data-contracts');
    expect(specs.filter((s) => s.startsWith('@scorecard/data-contracts/'))).toEqual([]);
  });

  it('the check catches each kind of crossing (planted imports)', () => {
    const inFunctions = join(ROOT, 'functions', 'src', 'api', 'planted.ts');
    const inWeb = join(ROOT, 'web', 'src', 'lib', 'planted.ts');
    const inCharts = join(ROOT, 'web', 'charts', 'src', 'planted.ts');
    const cases: Array<[string, string, RegExp]> = [
      [inFunctions, "import { x } from '../../../web/src/lib/format.ts';", /reaches into @scorecard\/web/],
      [
        inFunctions,
        "export * from '../../../data-contracts/src/plan.ts';",
        /reaches into @scorecard\/data-contracts/,
      ],
      [
        inFunctions,
        "const m = await import('../../../infra/lib/api-stack.ts');",
        /reaches into @scorecard\/infra/,
      ],
      [
        inFunctions,
        "import type { T } from '../../../tests/helpers/server.ts';",
        /reaches into @scorecard\/tests/,
      ],
      [inCharts, "import { t } from '../../src/lib/i18n.ts';", /reaches into @scorecard\/web/],
      [inWeb, "import { plot } from '../../charts/src/index.ts';", /reaches into @scorecard\/charts/],
      [
        inFunctions,
        "import { stack } from '@scorecard/infra/lib/api-stack.ts';",
        /does not declare @scorecard\/infra/,
      ],
      [inWeb, "import { readFile } from 'node:fs/promises';", /Node built-in/],
      [inWeb, "import { createHash } from 'crypto';", /Node built-in/],
      [inWeb, "import { PLAN } from '@scorecard/data-contracts/plan.ts';", /from their index/],
    ];
    for (const [file, text, reason] of cases) {
      const found = problems(file, text);
      expect(found, text).toHaveLength(1);
      expect(found[0], text).toMatch(reason);
    }
    // Within a workspace, and by name, all is well.
    expect(problems(inFunctions, "import { x } from '../packs/workbook.ts';")).toEqual([]);
    expect(problems(inWeb, "import { PLAN } from '@scorecard/data-contracts';")).toEqual([]);
  });

  it('the dashboard as built keeps the contracts’ server-only parts out, and the OAuth client in its own chunk', () => {
    const dist = join(ROOT, 'web', 'dist');
    if (!existsSync(join(dist, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    }
    const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    const holding = (marker: string) =>
      assets.filter((f) => readFileSync(join(dist, 'assets', f), 'utf8').includes(marker));
    // The communes list (its former provinces appear nowhere else) and zod's runtime stay in Node.
    expect(holding('Tỉnh Tiền Giang')).toEqual([]);
    expect(holding('ZodError')).toEqual([]);
    // oidc-client-ts (its validator's logger name) loads only on AWS, never with the entry.
    const entry = /src="\.?\/?assets\/([^"]+\.js)"/.exec(readFileSync(join(dist, 'index.html'), 'utf8'))?.[1];
    expect(entry).toBeTruthy();
    const oauth = holding('ResponseValidator');
    expect(oauth).toHaveLength(1);
    expect(oauth).not.toContain(entry);
  });

  it('each workspace type-checks as its own project, with the globals of where it runs', () => {
    const config = (dir: string) =>
      ts.readConfigFile(join(dir, 'tsconfig.json'), (f) => readFileSync(f, 'utf8')).config as {
        compilerOptions: { lib: string[]; types: string[] };
        references?: { path: string }[];
      };
    const root = config(ROOT);
    for (const w of WORKSPACES.filter((x) => x.name !== '@scorecard/bench')) {
      // The root builds every workspace (npm run typecheck = tsc -b), each from its own tsconfig.
      expect(
        root.references?.map((r) => resolve(ROOT, r.path)),
        w.name,
      ).toContain(w.dir);
      const c = config(w.dir);
      // A project references exactly the workspaces its package declares (bench is checked with the tests).
      const refs = (c.references ?? []).map((r) => workspaceOf(resolve(w.dir, r.path))?.name).sort();
      const declared = [...w.deps].filter((d) => OWN_NAMES.has(d) && d !== '@scorecard/bench').sort();
      expect(refs, w.name).toEqual(declared);
      const lib = c.compilerOptions.lib.map((l) => l.toLowerCase());
      const isBrowser = ['@scorecard/web', '@scorecard/charts'].includes(w.name);
      const isNode = ['@scorecard/functions', '@scorecard/infra'].includes(w.name);
      if (w.name === '@scorecard/data-contracts') {
        expect([lib, c.compilerOptions.types]).toEqual([['es2023'], []]); // isomorphic: neither DOM nor Node
      }
      if (isBrowser) expect([lib.includes('dom'), c.compilerOptions.types], w.name).toEqual([true, []]);
      if (isNode) expect([lib.includes('dom'), c.compilerOptions.types], w.name).toEqual([false, ['node']]);
    }
  });

  it('in functions, the data flow reads from the tree: nothing outside entry/ imports an entry', () => {
    const src = join(ROOT, 'functions', 'src');
    const entry = join(src, 'entry') + sep;
    const found = FILES.filter((f) => f.startsWith(src + sep) && !f.startsWith(entry)).flatMap((f) =>
      importsOf(readFileSync(f, 'utf8'))
        .filter((spec) => spec.startsWith('.') && resolve(dirname(f), spec).startsWith(entry))
        .map((spec) => `${relative(ROOT, f)} → ${spec}`),
    );
    expect(found).toEqual([]);
    expect(readdirSync(src).sort()).toEqual([
      'adapters',
      'api',
      'codec',
      'compaction',
      'demo',
      'entry',
      'excel',
      'ingest',
      'integrity',
      'isolation',
      'marts',
      'packs',
      'ports',
      'warehouse',
    ]);
  });
});
