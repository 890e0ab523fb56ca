import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePrivateDir, restrictExistingFiles, sqliteFiles } from '../../deploy/local/private-paths';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('private local data paths', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'loopdesk-private-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a new warehouse directory is created 0700', async () => {
    const warehouse = path.join(root, 'data', 'warehouse');
    await ensurePrivateDir(warehouse);
    expect(modeOf(warehouse)).toBe(0o700);
  });

  it('a warehouse directory left 0755 by an older install becomes 0700', async () => {
    const warehouse = path.join(root, 'warehouse');
    mkdirSync(warehouse);
    chmodSync(warehouse, 0o755);
    await ensurePrivateDir(warehouse);
    expect(modeOf(warehouse)).toBe(0o700);
  });

  it("the Temporal SQLite file and its WAL and shared-memory files left 0644 become 0600; missing ones stay missing", async () => {
    const dbFile = path.join(root, 'temporal.sqlite');
    for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
      writeFileSync(file, 'customer text');
      chmodSync(file, 0o644);
    }
    await restrictExistingFiles(sqliteFiles(dbFile));
    expect([dbFile, `${dbFile}-wal`, `${dbFile}-shm`].map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    expect(() => statSync(`${dbFile}-journal`)).toThrow();
  });
});
