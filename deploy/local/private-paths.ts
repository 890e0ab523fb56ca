/**
 * Local state holds customer text (the Temporal dev server's SQLite file carries workflow inputs; the chDB
 * warehouse carries questions), so like the secret files it is private to the user running Loopdesk: files
 * 0600, directories 0700. New paths are created that way; paths left by an older install are fixed on start.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';

const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** SQLite keeps a write-ahead log and a shared-memory index beside the database, holding the same data. */
export const sqliteFiles = (dbFile: string): string[] => [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`];

/** Creates the directory (and missing parents) private, and makes an existing one private. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/** Makes those of the files that exist private; the others will be created private by their writer. */
export async function restrictExistingFiles(files: readonly string[]): Promise<void> {
  for (const file of files) if (existsSync(file)) await chmod(file, PRIVATE_FILE_MODE);
}

/** Writes a file only its owner can read (secrets, keys), also when it existed with looser permissions. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  await writeFile(file, `${content}\n`, { mode: PRIVATE_FILE_MODE });
  await chmod(file, PRIVATE_FILE_MODE);
}
