const { createClient } = require('@clickhouse/client');
const { createChdbConnection } = require('chdb/connection');
const { drainPending } = require('chdb');
const fs = require('fs'), os = require('os'), path = require('path');
const [,, dir, step] = process.argv;
(async () => {
  let t = Date.now();
  const client = createClient({ connection: createChdbConnection({ path: dir }) });
  const q = async (query, query_params) => (await client.query({ query, format: 'JSONEachRow', query_params })).json();
  if (step === '1') {
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS ld' });
    await client.command({ query: "CREATE TABLE ld.e (id UUID, at DateTime64(3,'UTC')) ENGINE=ReplacingMergeTree ORDER BY id" });
    await client.command({ query: "CREATE TABLE ld.d (day Date, n AggregateFunction(uniqExact, UUID)) ENGINE=AggregatingMergeTree ORDER BY day" });
    await client.command({ query: "CREATE MATERIALIZED VIEW ld.mv TO ld.d AS SELECT toDate(at) day, uniqExactState(id) n FROM ld.e GROUP BY day" });
  }
  await client.insert({ table: 'ld.e', values: [{ id: '00000000-0000-0000-0000-00000000000' + step, at: '2024-01-01 00:00:00.000' }], format: 'JSONEachRow' });
  console.log(step, await q('SELECT day, uniqExactMerge(n) n FROM ld.d GROUP BY day'), await q("SELECT name, engine FROM system.tables WHERE database='ld'"), 'ms', Date.now()-t);
  // JSON ISO date?
  try { await client.insert({ table: 'ld.e', values: [{ id: '00000000-0000-0000-0000-000000000009', at: '2024-01-01T00:00:00.000Z' }], format: 'JSONEachRow' }); console.log('iso ok'); } catch (e) { console.log('iso err', e.message.slice(0,150)); }
  await client.close(); await drainPending();
})().catch(e => { console.error('ERR', e.message); process.exit(1); });
