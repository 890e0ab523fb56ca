/**
 * Writes interaction events in JSONCompactEachRow chunks to {database}.interaction_events_ingest, from where a
 * view forwards to interaction_events (migration 001) only the events it does not hold yet (migrations 003 and
 * 011), so the rollups fed from interaction_events count each event once. Sending an event again is safe.
 *
 * A relay batch is sent with its id as the insert's deduplication token (migration 011): sending the same batch
 * again, even while the first attempt is still running or after it failed halfway down the views, writes each
 * table's block once.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setImmediate } from 'node:timers/promises';
import type { Warehouse } from './warehouse-client';

/**
 * One interaction signal, as the relay hands it over. Optional fields an event does not carry are
 * stored as '' (strings) or 0 (numbers), never NULL.
 */
export interface InteractionEvent {
  eventId: string;
  workspaceId: string;
  /** e.g. question_asked, answer_shown, rated, escalated, corrected, resolved, reopened. */
  eventType: string;
  occurredAt: Date;
  conversationId?: string;
  messageId?: string;
  customerId?: string;
  accountId?: string;
  knowledgeItemId?: string;
  topic?: string;
  /** Page of the product the question was asked from. */
  page?: string;
  plan?: string;
  channel?: string;
  /** What the assistant did, e.g. answered or handed_off. */
  decision?: string;
  handoffReason?: string;
  confidence?: number;
  latencyMs?: number;
  rating?: number;
  text?: string;
  /** Event-specific details; stored as a JSON string. */
  payload?: Record<string, unknown>;
  correlationId?: string;
}

/** Column names of interaction_events, as sent. ingested_at is left to its DEFAULT now64(3). */
export interface InteractionEventRow {
  event_id: string;
  workspace_id: string;
  event_type: string;
  occurred_at: string;
  conversation_id: string;
  message_id: string;
  customer_id: string;
  account_id: string;
  knowledge_item_id: string;
  topic: string;
  page: string;
  plan: string;
  channel: string;
  decision: string;
  handoff_reason: string;
  confidence: number;
  latency_ms: number;
  rating: number;
  text: string;
  payload: string;
  correlation_id: string;
}

/**
 * JSONCompactEachRow (arrays, the column names once) in 50,000-row chunks: in chDB it beat JSONEachRow objects and
 * TabSeparated, and 5,000-row chunks by about twice (npm run bench:warehouse-ingest). The relay's batches are
 * smaller than a chunk.
 */
export const EVENT_INSERT_CHUNK_SIZE = 50_000;

/**
 * Settings of every event insert. Each rollup view's GROUP BY already yields one row per key of its table, and the
 * dedup view one row per event, so merging the inserted block again by the table's key (optimize_on_insert, on by
 * default) finds nothing to merge, yet copies every aggregate state (uniqExact sets, argMin pairs) once more.
 * Readers merge a key's rows across parts anyway, as they must: background merges are eventual. Turned off, a
 * large insert through the views took about half as long engine side (`npm run bench:warehouse-views`); through
 * this writer and the relay, where serializing and parsing the rows cost more than the views, the gain is within
 * the noise (README, *Benchmarks*). parallel_view_processing was measured too and is not set: the relay drained
 * slower with it, the views' threads competing with Node and Postgres for two cores.
 */
export const EVENT_INSERT_SETTINGS = 'optimize_on_insert = 0';

/** Rows serialized between two turns of the event loop while a chunk is in flight (about a millisecond's work). */
const SERIALIZE_SLICE = 1_000;

const COLUMNS = [
  'event_id', 'workspace_id', 'event_type', 'occurred_at', 'conversation_id', 'message_id', 'customer_id', 'account_id',
  'knowledge_item_id', 'topic', 'page', 'plan', 'channel', 'decision', 'handoff_reason', 'confidence', 'latency_ms',
  'rating', 'text', 'payload', 'correlation_id',
] as const satisfies ReadonlyArray<keyof InteractionEventRow>;

export interface InsertEventsOptions {
  /** Rows per request; default EVENT_INSERT_CHUNK_SIZE. */
  chunkSize?: number;
  /**
   * The relay batch these events are, always sent whole and in the same order: each chunk's deduplication token
   * is the batch and the chunk's number. Letters, digits and `-` only.
   */
  batch?: string;
}

/** A batch id goes into SQL text (a setting and a LIKE pattern), so only letters, digits and `-` pass. */
function checkBatchId(batch: string, caller: string): void {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(batch)) throw new RangeError(`${caller}: batch id ${JSON.stringify(batch)} is not letters, digits and -`);
}

/**
 * Inserts every event, `chunkSize` rows per request, one request after the other; returns how many rows were sent.
 * The next chunk's rows are serialized while the warehouse takes the current one (chDB inserts on a thread of its
 * own, a server over the network), so building the text and storing it overlap instead of adding up.
 */
export async function insertEvents(warehouse: Warehouse, events: readonly InteractionEvent[], options: InsertEventsOptions = {}): Promise<number> {
  const { chunkSize = EVENT_INSERT_CHUNK_SIZE, batch } = options;
  if (batch !== undefined) checkBatchId(batch, 'insertEvents');
  const columns = batch === undefined ? COLUMNS : [...COLUMNS, 'relay_batch'];
  const chunkBody = async (start: number): Promise<string> => {
    let body = '';
    const end = Math.min(events.length, start + chunkSize);
    for (let i = start; i < end; i += 1) {
      // Handing the event loop back now and then lets the request in flight be read and sent meanwhile (the
      // client reads its body as a stream): built in one go, the next chunk held the current one back.
      if ((i - start) % SERIALIZE_SLICE === SERIALIZE_SLICE - 1) await setImmediate();
      const row = toEventRow(events[i]!);
      const values: unknown[] = COLUMNS.map((column) => row[column]);
      if (batch !== undefined) values.push(batch);
      body += `${JSON.stringify(values)}\n`;
    }
    return body;
  };
  let body = events.length > 0 ? await chunkBody(0) : '';
  for (let start = 0, chunk = 0; start < events.length; start += chunkSize, chunk += 1) {
    // The settings go in the statement, not in clickhouse_settings: on a chDB connection those become session-wide
    // SETs, and a token left behind would drop the next insert's blocks as duplicates.
    const settings =
      batch === undefined
        ? ` SETTINGS ${EVENT_INSERT_SETTINGS}`
        : ` SETTINGS ${EVENT_INSERT_SETTINGS}, insert_deduplication_token = '${batch}-${chunk}', deduplicate_blocks_in_dependent_materialized_views = 1`;
    const sending = sendChunk(warehouse, {
      query: `INSERT INTO ${warehouse.database}.interaction_events_ingest (${columns.join(', ')})${settings} FORMAT JSONCompactEachRow`,
      body,
      // Named after the batch, so stopBatchInserts finds an attempt the client gave up on.
      queryId: batch === undefined ? undefined : `relay-${batch}-${chunk}-${randomUUID()}`,
    });
    // Awaited below, after the next chunk is built: a failure meanwhile must not count as an unhandled rejection
    // (which ends the process) while the build hands the event loop back.
    sending.catch(() => undefined);
    const next = start + chunkSize;
    try {
      body = next < events.length ? await chunkBody(next) : '';
    } catch (error) {
      // An event that cannot be sent: nothing after this chunk goes, and this chunk is settled before the error.
      await sending.catch(() => undefined);
      throw error;
    }
    await sending;
  }
  return events.length;
}

async function sendChunk(warehouse: Warehouse, request: { query: string; body: string; queryId: string | undefined }): Promise<void> {
  const result = await warehouse.client.exec({ query: request.query, values: Readable.from([request.body]), query_id: request.queryId });
  // exec hands back the response body as a stream; reading it to the end frees the socket in server mode.
  result.stream.resume();
  await finished(result.stream);
}

/**
 * Stops every insert of `batch` still running in the warehouse and waits until they have stopped: a client that
 * gave up waiting does not stop the server's work, and a batch about to be sent under another token must not race
 * an earlier attempt past the ingest view's look-up. On a cluster this reaches the node the relay talks to. chDB
 * runs one statement at a time and takes no query ids, so there nothing can still run and this finds nothing.
 */
export async function stopBatchInserts(warehouse: Warehouse, batch: string): Promise<void> {
  checkBatchId(batch, 'stopBatchInserts');
  const result = await warehouse.client.query({ query: `KILL QUERY WHERE query_id LIKE 'relay-${batch}-%' SYNC`, format: 'JSONEachRow' });
  const killed = await result.json<{ kill_status: string; query_id: string }>();
  const running = killed.filter((row) => row.kill_status !== 'finished');
  if (running.length > 0) throw new Error(`relay batch ${batch}: inserts still running after KILL QUERY SYNC (${running.map((row) => `${row.query_id}: ${row.kill_status}`).join(', ')})`);
}

/** The row sent for an event (exported for the ingest-format benchmark). */
export function toEventRow(event: InteractionEvent): InteractionEventRow {
  return {
    event_id: event.eventId,
    workspace_id: event.workspaceId,
    event_type: event.eventType,
    occurred_at: toDateTime64(event.occurredAt),
    conversation_id: event.conversationId ?? '',
    message_id: event.messageId ?? '',
    customer_id: event.customerId ?? '',
    account_id: event.accountId ?? '',
    knowledge_item_id: event.knowledgeItemId ?? '',
    topic: event.topic ?? '',
    page: event.page ?? '',
    plan: event.plan ?? '',
    channel: event.channel ?? '',
    decision: event.decision ?? '',
    handoff_reason: event.handoffReason ?? '',
    confidence: event.confidence ?? 0,
    latency_ms: Math.max(0, Math.round(event.latencyMs ?? 0)),
    rating: Math.round(event.rating ?? 0),
    text: event.text ?? '',
    payload: JSON.stringify(event.payload ?? {}),
    correlation_id: event.correlationId ?? '',
  };
}

/** `YYYY-MM-DD hh:mm:ss.sss` in UTC: the form every ClickHouse version parses without best_effort. */
function toDateTime64(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('InteractionEvent.occurredAt is an invalid Date');
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
