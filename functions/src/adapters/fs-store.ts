// Local-folder object store: the embedded default. Same key layout as S3 (ports/object-store.ts).
// Writes go to a temporary file first, then rename (replace) or link (create-only), so a reader never sees a
// partial object and a create-only write is atomic across processes. The folder holds personal data (staff
// codes, rosters): files are 0600 and folders 0700, whatever the umask.
import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { type ObjectStore, PreconditionFailed, type PutOptions } from '../ports/object-store.ts';

const TMP_DIR = '.tmp';

export class FsObjectStore implements ObjectStore {
  /** Folders this store has created or seen: two recursive mkdir calls saved per write (most writes). */
  private readonly folders = new Set<string>();
  constructor(readonly root: string) {}

  private async ensureFolder(dir: string): Promise<void> {
    if (this.folders.has(dir)) return;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    this.folders.add(dir);
  }

  /**
   * Removes temporary files older than `olderThanMs` (left by a process killed mid-write; a live writer's
   * are younger) and tightens the folder's permissions. Returns how many it removed.
   */
  async cleanTemporary(olderThanMs = 60 * 60_000): Promise<number> {
    await this.tighten(this.root);
    const dir = join(this.root, TMP_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return 0;
    }
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of names) {
      const file = join(dir, name);
      const st = await stat(file).catch(() => null);
      if (st && st.mtimeMs < cutoff) {
        await unlink(file).catch(() => undefined);
        removed++;
      }
    }
    return removed;
  }

  /** Folders 0700 and files 0600 below `dir` (a folder written by an earlier version, or copied in). */
  private async tighten(dir: string): Promise<void> {
    const st = await stat(dir).catch(() => null);
    if (!st?.isDirectory()) return;
    if ((st.mode & 0o077) !== 0) await chmod(dir, 0o700).catch(() => undefined);
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await this.tighten(full);
      else if (entry.isFile()) {
        const f = await stat(full).catch(() => null);
        if (f && (f.mode & 0o077) !== 0) await chmod(full, 0o600).catch(() => undefined);
      }
    }
  }

  private path(key: string): string {
    if (key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '')) {
      throw new Error(`invalid object key: ${key}`);
    }
    return join(this.root, ...key.split('/'));
  }

  localPath(key: string): string {
    return key === '' ? this.root : this.path(key);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Size and modification time of an object (integrity checks skip files they verified unchanged). */
  async stat(key: string): Promise<{ size: number; mtimeMs: number } | null> {
    const st = await stat(this.path(key)).catch(() => null);
    return st ? { size: st.size, mtimeMs: st.mtimeMs } : null;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.path(key));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    const target = this.path(key);
    const tmpDir = join(this.root, TMP_DIR);
    const folder = dirname(target);
    await this.ensureFolder(tmpDir);
    await this.ensureFolder(folder);
    const tmp = join(tmpDir, randomUUID());
    try {
      await writeFile(tmp, body, { mode: 0o600 });
    } catch (e) {
      // The temporary folder was removed behind our back (an operator cleaning up): make it again, once.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.folders.delete(tmpDir);
      await this.ensureFolder(tmpDir);
      await writeFile(tmp, body, { mode: 0o600 });
    }
    try {
      try {
        await this.place(tmp, target, key, options);
      } catch (e) {
        // Likewise for the target folder (a year folder removed outside the process).
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        this.folders.delete(folder);
        await this.ensureFolder(folder);
        await this.place(tmp, target, key, options);
      }
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /** Moves a written temporary file to its key: link (create-only, atomic across processes) or rename. */
  private async place(tmp: string, target: string, key: string, options: PutOptions): Promise<void> {
    if (options.ifNoneMatch) {
      try {
        await link(tmp, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new PreconditionFailed(key);
        throw e;
      }
      await unlink(tmp);
    } else {
      await rename(tmp, target);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
          return;
        throw e;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (dir === this.root && entry.name === TMP_DIR) continue;
          await walk(full);
        } else {
          const key = relative(this.root, full).split(sep).join('/');
          if (key.startsWith(prefix)) out.push(key);
        }
      }
    };
    // Start at the deepest folder the prefix names, so listing one commune-year does not walk the store.
    const slash = prefix.lastIndexOf('/');
    const base = slash < 0 ? this.root : this.path(prefix.slice(0, slash));
    await walk(base);
    return out.sort();
  }

  async delete(key: string): Promise<void> {
    await unlink(this.path(key)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}
