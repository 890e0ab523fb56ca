/** The repository root (the folder with package.json), whether a helper runs under ts-jest or compiled in dist/. */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRepoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
