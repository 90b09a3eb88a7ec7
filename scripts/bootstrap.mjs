#!/usr/bin/env node
// Dependency-free bootstrap: makes `npm start` and `npm test` work as the very first command on a fresh clone.
// - runs `npm ci` when node_modules is missing or older than package-lock.json;
// - with --system, makes sure the system packages the tests need (Debian's chromium, poppler-utils, libreoffice-calc-nogui) are
//   present: installs them with apt-get when running as root, otherwise names them and how to install them.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');

function needsInstall() {
  if (!existsSync(marker)) return true;
  return statSync(marker).mtimeMs < statSync(lock).mtimeMs;
}

if (needsInstall()) {
  console.error('[bootstrap] installing dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const SYSTEM = [
  {
    bin: '/usr/bin/chromium',
    pkg: 'chromium',
    why: 'browser tests (playwright-core drives Debian chromium)',
  },
  { bin: '/usr/bin/pdftotext', pkg: 'poppler-utils', why: 'PDF text checks of the meeting packs' },
  {
    bin: '/usr/bin/soffice',
    pkg: 'libreoffice-calc-nogui',
    why: 'workbooks and packs opened, re-saved and printed by Calc',
  },
];

if (process.argv.includes('--system')) {
  const missing = SYSTEM.filter((s) => !existsSync(s.bin));
  if (missing.length > 0) {
    const pkgs = missing.map((m) => m.pkg).join(' ');
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot && existsSync('/usr/bin/apt-get')) {
      console.error(`[bootstrap] installing system packages: ${pkgs}`);
      try {
        execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs}`, {
          stdio: 'inherit',
        });
      } catch {
        console.error(
          `[bootstrap] could not install ${pkgs}; install them with: sudo apt-get install -y ${pkgs}`,
        );
      }
    } else {
      for (const m of missing) console.error(`[bootstrap] missing ${m.bin} — needed for ${m.why}.`);
      console.error(`[bootstrap] install with: sudo apt-get install -y ${pkgs}`);
    }
  }
}
