/**
 * Determinism: recorded histories of the escalation workflow's main paths replay against today's workflow
 * code (in a plain Node process: the SDK's history decoding does not survive jest's module registry). A change
 * that would break running cases fails here; version it with patching rather than re-recording. Fixtures are
 * refreshed with `RECORD_HISTORIES=1 npx jest tests/e2e/escalation`.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
const HISTORY_DIR = path.join(ROOT, 'tests', 'fixtures', 'histories');

describe('recorded escalation histories', () => {
  it('exist for the main paths', () => {
    expect(readdirSync(HISTORY_DIR).sort()).toEqual(['escalation-full-cycle.json', 'escalation-sla-breach.json', 'escalation-sla-late-response.json']);
  });

  it('replay without nondeterminism against the current workflow code', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'workflows', 'replay.js'), HISTORY_DIR], { cwd: ROOT });
    const results = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(results).toEqual([
      { history: 'escalation-full-cycle', replayed: true },
      { history: 'escalation-sla-breach', replayed: true },
      { history: 'escalation-sla-late-response', replayed: true },
    ]);
  }, 60_000);
});
