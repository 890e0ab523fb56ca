/**
 * Postgres LISTEN on one channel over a connection of its own, so that a background loop hears about work the
 * moment the transaction that queued it commits (NOTIFY is delivered on commit, never for a rollback) instead of
 * at its next poll. The loop keeps polling too: a notification can be missed while this connection is down
 * (it reconnects with backoff and then calls onNotify once with null, for whatever committed meanwhile), and a
 * connection pooler in transaction mode does not carry LISTEN at all.
 *
 * onNotify receives each notification's payload. A listener that keeps state derived from what the notifications
 * announce (a cache) reads `listening` too: while it is false, changes go unannounced, and the null after a
 * reconnect says that anything may have changed meanwhile.
 */
import { Client } from 'pg';
import type { Logger } from './logger';

/** Channel names are identifiers: keep them to a plain word so they need no quoting. */
const CHANNEL = /^[a-z_][a-z0-9_]*$/;

export class PgNotifications {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private delayMs = 250;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    /** A payload as sent; null when notifications may have been missed (at every start of listening). */
    private readonly onNotify: (payload: string | null) => void,
    private readonly logger: Logger,
  ) {
    if (!CHANNEL.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  }

  /** True from the moment LISTEN has taken effect until the connection is lost: only then is every commit heard. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: `listen ${this.channel}` });
    let lost = false;
    const reconnect = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn({ err: error, channel: this.channel, retryInMs: this.delayMs }, 'listening for notifications failed; polling only until it reconnects');
      this.retry = setTimeout(() => void this.connect(), this.delayMs);
      this.delayMs = Math.min(this.delayMs * 2, 10_000);
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect(new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotify(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.stopped) {
        lost = true;
        await client.end();
        return;
      }
      this.client = client;
      this.delayMs = 250;
      // Whatever was queued before LISTEN took effect was announced to nobody.
      this.onNotify(null);
    } catch (error) {
      reconnect(error as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
