/** Runs a process's start sequence and reverses it on SIGTERM/SIGINT; a failed start exits non-zero. */
export interface Stoppable {
  stop(): Promise<void>;
}

export function runProcess(name: string, start: () => Promise<Stoppable>): void {
  let running: Stoppable | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(JSON.stringify({ level: 30, service: name, msg: `stopping on ${signal}` }) + '\n');
    try {
      await running?.stop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(JSON.stringify({ level: 50, service: name, msg: 'stop failed', err: String(error) }) + '\n');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  start()
    .then((started) => {
      running = started;
      if (stopping) void started.stop();
    })
    .catch((error: unknown) => {
      process.stderr.write(JSON.stringify({ level: 60, service: name, msg: 'start failed', err: error instanceof Error ? error.message : String(error) }) + '\n');
      process.exit(1);
    });
}
