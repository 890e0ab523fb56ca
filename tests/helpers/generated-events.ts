/**
 * Interaction events generated inside ClickHouse (INSERT … SELECT over numbers()), shaped like the services' events:
 * bench:warehouse loads millions with them, and the rollup equality test compares rollups with raw events on a sample
 * of the same data.
 *
 * Distributions (simplified from the services' events): conversations of four events — a question; an answer (70%)
 * or a hand-off; then a rating, an escalation or a follow-up (answered) or an agent reply, a correction or a repeat
 * contact (handed off); then a resolution (60%) or a follow-up question. 40 topics (skewed), 3 plans, 12 pages,
 * 3 channels, 20 workspaces (the first holding 25%), spread evenly over the span.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const GENERATED_WORKSPACES = 20;
const ITEMS_PER_WORKSPACE = 2_000;

/**
 * One row of interaction_events per number in [start, start + count): event i is slot i % 4 of conversation
 * i / 4; conversations are spread evenly, in order, over the span, so each block covers a slice of time.
 * Binds {workspaces:Array(String)}, {t0:Int64} (ms), {spanMs:Int64}, {conversations:UInt64}, {start}, {count}.
 */
export const GENERATED_EVENTS = `
  WITH
    intDiv(number, 4) AS c,
    number % 4 AS slot,
    cityHash64(c, 7) AS h,
    cityHash64(number, 11) AS h2,
    if(h % 100 < 25, 1, 2 + (intDiv(h, 100) % ${GENERATED_WORKSPACES - 1})) AS ws,
    {t0:Int64} + toInt64(c * {spanMs:Int64} / {conversations:UInt64}) + toInt64(h % 60000) AS startMs,
    (intDiv(h, 7) % 100) < 70 AS answered,
    h2 % 100 AS r,
    ['billing', 'login', 'exports', 'invoices', 'sso', 'api', 'webhooks', 'refunds', 'cards', 'notifications',
     'reports', 'dashboards', 'permissions', 'teams', 'billing-address', 'taxes', 'integrations', 'slack', 'email',
     'mobile', 'search', 'imports', 'csv', 'pdf', 'calendar', 'timezones', 'security', '2fa', 'passwords', 'audit',
     'retention', 'gdpr', 'storage', 'limits', 'pricing', 'trial', 'upgrade', 'downgrade', 'cancel', 'onboarding'] AS topics,
    topics[1 + toUInt32(pow((intDiv(h, 1000) % 1000) / 1000, 2.5) * 40)] AS topic,
    ['free', 'pro', 'enterprise'][1 + intDiv(h, 100000) % 3] AS plan,
    ['/dashboard', '/billing', '/settings', '/settings/sso', '/reports', '/exports', '/integrations', '/team',
     '/api-keys', '/invoices', '/onboarding', '/search'][1 + intDiv(h, 300000) % 12] AS page,
    ['in_app', 'email', 'chat'][1 + intDiv(h, 3600000) % 3] AS channel,
    multiIf(
      slot = 0, 'question_asked',
      slot = 1, if(answered, 'answer_shown', 'handed_off'),
      slot = 2, if(answered, multiIf(r < 30, 'answer_rated', r < 35, 'escalated', 'question_asked'),
                             multiIf(r < 60, 'agent_replied', r < 80, 'answer_corrected', 'outcome_repeat_contact')),
      r < 60, 'resolved', 'question_asked') AS type,
    multiIf(slot = 0, 0, slot = 1, 2000, slot = 2, 30000 + toInt64(h2 % 3600000), 3600000 + toInt64(h2 % 86400000)) AS delayMs,
    -- What conversation stamps on a conversation's first reply (after its hand-off, 2 s in) and first resolution.
    concat('{"conversationStartedAt":"', toString(fromUnixTimestamp64Milli(startMs, 'UTC')), '","firstTopic":"', topic, '","firstPlan":"', plan,
           '","firstPage":"', page, '","firstChannel":"', channel, '","firstLanguage":""') AS firsts,
    concat(['How do I', 'Why can I not', 'Where do I', 'Is it possible to', 'Help:'][1 + h % 5], ' ',
           ['change', 'export', 'cancel', 'activate', 'find', 'reset', 'download', 'connect'][1 + intDiv(h, 5) % 8], ' ',
           ['my card', 'the invoice', 'my password', 'the report', 'SSO', 'the API key', 'my plan', 'a teammate'][1 + intDiv(h, 40) % 8]) AS question
  SELECT
    generateUUIDv4(number) AS event_id,
    toUUID({workspaces:Array(String)}[ws]) AS workspace_id,
    type AS event_type,
    fromUnixTimestamp64Milli(startMs + delayMs, 'UTC') AS occurred_at,
    toString(reinterpretAsUUID(reverse(unhex(lpad(hex(cityHash64(c, 3)), 32, '0'))))) AS conversation_id,
    '' AS message_id,
    '' AS customer_id,
    '' AS account_id,
    if(type = 'answer_shown', concat('item-', toString(ws), '-', toString(toUInt32(pow((h2 % 1000) / 1000, 3) * ${ITEMS_PER_WORKSPACE}))), '') AS knowledge_item_id,
    topic, page, plan, channel,
    multiIf(type = 'answer_shown', 'answered', type = 'handed_off', 'handed_off', '') AS decision,
    if(type = 'handed_off', ['low_confidence', 'no_knowledge', 'stale_knowledge', 'policy'][1 + h2 % 4], '') AS handoff_reason,
    if(type IN ('answer_shown', 'handed_off'), (h2 % 1000) / 1000, 0) AS confidence,
    if(type IN ('answer_shown', 'handed_off'), 200 + h2 % 1500, 0) AS latency_ms,
    if(type = 'answer_rated', if(r < 22, 1, -1), 0) AS rating,
    if(type IN ('question_asked', 'handed_off', 'escalated'), question, '') AS text,
    multiIf(type IN ('agent_replied', 'answer_corrected'), concat(firsts, ',"firstResponseMs":', toString(delayMs - 2000), '}'),
            type = 'resolved', concat(firsts, ',"resolutionMs":', toString(delayMs), '}'),
            -- As ask records a question: a conversation's later questions are follow-ups.
            type = 'question_asked', if(slot = 0, '{"followUp":false}', '{"followUp":true}'),
            '{}') AS payload,
    '' AS correlation_id
  FROM numbers({start:UInt64}, {count:UInt64})`;

/**
 * Knowledge and learning events: items published before the window, then flags (some edited a day later), learned
 * answers (some reverted an hour later), archives, threshold moves, product changes.
 */
export const GENERATED_KNOWLEDGE_EVENTS = `
  WITH intDiv(number, ${ITEMS_PER_WORKSPACE}) + 1 AS ws, number % ${ITEMS_PER_WORKSPACE} AS k, cityHash64(number, 5) AS h
  SELECT generateUUIDv4(number * 10 + e.1) AS event_id, toUUID({workspaces:Array(String)}[ws]) AS workspace_id, e.2 AS event_type,
         fromUnixTimestamp64Milli({t0:Int64} + e.3, 'UTC') AS occurred_at,
         concat('item-', toString(ws), '-', toString(k)) AS knowledge_item_id,
         ['billing', 'login', 'exports', 'invoices', 'sso', 'api', 'webhooks', 'refunds'][1 + h % 8] AS topic,
         e.4 AS payload
  FROM numbers(${GENERATED_WORKSPACES * ITEMS_PER_WORKSPACE})
  ARRAY JOIN arrayFilter(x -> x.1 >= 0, [
    (0, 'knowledge_published', toInt64(-DAY_MS), concat('{"title":"Article ', toString(k), '"}')),
    (if(k % 40 = 0, 1, -1), 'knowledge_flagged_stale', toInt64(h % {spanMs:Int64}), concat('{"productChangeId":"pc-', toString(ws), '-', toString(k % 7), '"}')),
    (if(k % 5 = 0, 2, -1), 'learned_answer_created', toInt64((h * 7) % {spanMs:Int64}), '{"status":"published"}'),
    (if(k % 25 = 0, 3, -1), 'threshold_moved', toInt64((h * 13) % {spanMs:Int64}), if(h % 2 = 0, '{"before":0.5,"after":0.4}', '{"before":0.4,"after":0.5}')),
    (if(k % 80 = 0, 5, -1), 'knowledge_updated', toInt64(h % {spanMs:Int64}) + DAY_MS, concat('{"title":"Article ', toString(k), ' (updated)"}')),
    (if(k % 50 = 0, 6, -1), 'knowledge_archived', toInt64((h * 19) % {spanMs:Int64}), '{}'),
    (if(k % 15 = 0, 7, -1), 'learning_reverted', toInt64((h * 7) % {spanMs:Int64}) + 3600000, '{"kind":"learned_answer_created"}'),
    (if(k % 100 = 0, 4, -1), 'product_change_recorded', toInt64((h * 17) % {spanMs:Int64}), concat('{"productChangeId":"pc-', toString(ws), '-', toString(k % 7), '","title":"Change ', toString(k), '","productAreas":["billing"]}'))
  ]) AS e`.replaceAll('DAY_MS', String(DAY));

export const GENERATED_COLUMNS = 'event_id, workspace_id, event_type, occurred_at, conversation_id, message_id, customer_id, account_id, knowledge_item_id, topic, page, plan, channel, decision, handoff_reason, confidence, latency_ms, rating, text, payload, correlation_id';
