/**
 * The warehouse at scale: ingest N interaction events into chDB with the project's own writer, then time the
 * insights services and the weekly report as the GraphQL layer calls them. Numbers, not pass/fail.
 *
 *   npm run bench:warehouse [-- --events 10000000] [--workspaces 20] [--weeks 26] [--repeat 20] [--seed 1]
 *                              [--chunks 50000,100000] [--dir path] [--keep] [--json figures.json]
 *
 * Events: each conversation is built the way the services record it (ask.service, customer-signals,
 * agent-actions, learned-answer, outcome.service payloads), passed through analytics/relay.ts's
 * toInteractionEvent like an outbox row, and written with analytics/event-writer.ts's insertEvents. Knowledge
 * events (items published up front, product changes that flag items stale, threshold moves, edits, archives)
 * come from a schedule drawn first. Events are generated in time order, batch by batch, never all in memory.
 * Exactly N events: a first pass draws only each conversation's shape (which events it has, independent of its
 * time and topic) from its own random stream, to know how many conversations make N; the second pass draws the
 * same shapes again and fills in the rest.
 *
 * Ingest: batches of max(--chunks) events go in turn to insertEvents with its default chunk size and with each
 * size in --chunks, so every mode sees the same mix of data and the same background merges. No OPTIMIZE: the
 * table is measured as ingested.
 *
 * Queries: for the workspace with the most events and the median one, each operation runs once to warm up and
 * then --repeat times; the weekly report is built for the last complete ISO week and rendered to Markdown and HTML
 * separately. Times are wall-clock ms in this process (chDB runs in it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EVENT_INSERT_CHUNK_SIZE, InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { toInteractionEvent } from '../../analytics/relay';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { StaleContentService } from '../../services/insights/content/stale-content.service';
import { KnowledgeGapsService } from '../../services/insights/gaps/knowledge-gaps.service';
import { LearningCurveService } from '../../services/insights/learning/learning-curve.service';
import { SupportMetricsService } from '../../services/insights/metrics/support-metrics.service';
import { WeeklyReportBuilder } from '../../services/insights/report/weekly-report-builder';
import type { WeeklyReportContent } from '../../services/insights/report/weekly-report-content';
import { renderHtml, renderMarkdown } from '../../services/insights/report/weekly-report-rendering';
import { SPIKE_DEFAULTS, TopicSpikesService } from '../../services/insights/trends/topic-spikes.service';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { Progress } from '../../services/shared/progress';
import { isoWeekOf } from '../../workflows/iso-week';
import { Distribution, distribution, intListOption, intOption, loadAverages, prng } from './bench-support';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const TIME_ZONE = 'Europe/Paris';
const ITEMS_PER_WORKSPACE = 2_000;
const BIG_WORKSPACE_SHARE = 0.25;

// ---------------------------------------------------------------------------------------------------------
// Stopping

/** SIGINT/SIGTERM raise this flag; the phase under way stops at its next batch or run and main's `finally` cleans up. */
const interrupted = new AbortController();

function throwIfInterrupted(): void {
  if (interrupted.signal.aborted) throw new Error(`Interrupted by ${interrupted.signal.reason}`);
}

// ---------------------------------------------------------------------------------------------------------
// Options

interface Options {
  events: number;
  workspaces: number;
  weeks: number;
  repeat: number;
  seed: number;
  /** Chunk sizes passed to insertEvents besides its default. */
  chunks: number[];
  dir?: string;
  keep: boolean;
  json?: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000000' },
      workspaces: { type: 'string', default: '20' },
      weeks: { type: 'string', default: '26' },
      repeat: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      chunks: { type: 'string', default: '50000,100000' },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  return {
    events: intOption('events', values.events, 1),
    workspaces: intOption('workspaces', values.workspaces, 1, 1000),
    // The weekly report and 26-week queries look back 26 weeks; topic spikes need 5 weeks of history.
    weeks: intOption('weeks', values.weeks, 5, 104),
    repeat: intOption('repeat', values.repeat, 1),
    seed: intOption('seed', values.seed, 0, 2 ** 31),
    chunks: intListOption('chunks', values.chunks, 1),
    dir: values.dir,
    keep: values.keep ?? false,
    json: values.json,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Ids and random draws

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (w: number) => HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
const hex16 = (w: number) => HEX[(w >>> 8) & 255]! + HEX[w & 255]!;

/** murmur3's finalizer: a bijection on 32-bit integers that mixes every bit. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

enum Namespace {
  /** Everything minted while generating: events, conversations, messages, correlation ids, learned answers, product changes. */
  Runtime = 1,
  Workspace,
  Customer,
  KnowledgeItem,
}

/**
 * UUID v4-formatted ids, the same for the same seed, namespace and number; within a namespace distinct numbers
 * give distinct ids (the last 32 bits are the number xor a per-namespace key), so event ids never collide.
 */
class Ids {
  private serial = 0;

  constructor(private readonly seed: number) {}

  of(namespace: Namespace, n: number): string {
    const key = fmix32(this.seed ^ Math.imul(namespace, 0x9e3779b1));
    const w3 = (n ^ key) >>> 0;
    const w0 = fmix32(w3 + 0x6a09e667);
    const w1 = (fmix32(w0 ^ key) & 0xffff0fff) | 0x00004000;
    const w2 = (fmix32(w1 + key) & 0x3fffffff) | 0x80000000;
    return `${hex32(w0)}-${hex16(w1 >>> 16)}-${hex16(w1)}-${hex16(w2 >>> 16)}-${hex16(w2)}${hex32(w3)}`;
  }

  next(): string {
    return this.of(Namespace.Runtime, this.serial++);
  }
}

/** Draws indices in proportion to fixed weights (binary search over the running sum). */
class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => (this.cumulative[i] = sum += w));
  }

  pick(random: () => number): number {
    const x = random() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const between = (min: number, max: number, random: () => number) => min + (max - min) * random();
/** Log-normal with the given median; sigma in natural-log units. */
function logNormal(median: number, sigma: number, random: () => number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * gaussian);
}
const zipf = (n: number, s: number) => Array.from({ length: n }, (_, rank) => 1 / (rank + 1) ** s);

// ---------------------------------------------------------------------------------------------------------
// What customers ask about

interface Topic {
  name: string;
  /** Nouns customers use for it; gap clusters form around them. */
  terms: string[];
  verbs: string[];
}

const TOPICS: Topic[] = (
  [
    ['billing', ['invoice', 'billing address', 'receipt'], ['download', 'update']],
    ['refunds', ['refund', 'money back', 'chargeback'], ['request', 'get']],
    ['subscription', ['subscription', 'renewal date', 'annual plan'], ['cancel', 'renew']],
    ['pricing', ['price', 'discount code', 'seat pricing'], ['compare', 'apply']],
    ['payment-methods', ['credit card', 'bank transfer', 'paypal'], ['add', 'remove']],
    ['taxes', ['vat number', 'sales tax', 'tax exemption'], ['add', 'fix']],
    ['login', ['password', 'login page', 'sign in link'], ['reset', 'recover']],
    ['sso', ['sso', 'saml setup', 'okta'], ['configure', 'enable']],
    ['two-factor', ['two factor code', 'authenticator app', 'backup codes'], ['enable', 'disable']],
    ['account-deletion', ['account', 'personal data', 'profile'], ['delete', 'close']],
    ['team-members', ['teammate', 'invitation email', 'seat'], ['invite', 'remove']],
    ['roles', ['admin role', 'permissions', 'viewer access'], ['assign', 'change']],
    ['export', ['csv export', 'excel file', 'data export'], ['export', 'download']],
    ['import', ['csv import', 'spreadsheet', 'contacts file'], ['import', 'upload']],
    ['api', ['api key', 'api token', 'rate limit'], ['generate', 'rotate']],
    ['webhooks', ['webhook', 'callback url', 'webhook signature'], ['configure', 'verify']],
    ['slack', ['slack integration', 'slack channel', 'slack notifications'], ['connect', 'disconnect']],
    ['salesforce', ['salesforce', 'crm sync', 'salesforce fields'], ['connect', 'map']],
    ['zapier', ['zapier', 'zap', 'zapier trigger'], ['set up', 'fix']],
    ['notifications', ['email notifications', 'alerts', 'daily digest'], ['turn off', 'change']],
    ['mobile-app', ['mobile app', 'iphone app', 'android app'], ['install', 'update']],
    ['offline', ['offline mode', 'sync', 'cached data'], ['enable', 'sync']],
    ['performance', ['dashboard loading', 'loading time', 'page speed'], ['speed up', 'load']],
    ['reports', ['monthly report', 'analytics report', 'chart'], ['create', 'schedule']],
    ['dashboards', ['dashboard widget', 'custom dashboard', 'kpi tile'], ['add', 'share']],
    ['search', ['search results', 'search filters', 'saved search'], ['use', 'save']],
    ['calendar', ['calendar', 'google calendar', 'outlook calendar'], ['sync', 'connect']],
    ['scheduling', ['appointment', 'booking link', 'time slot'], ['book', 'reschedule']],
    ['shipping', ['shipping label', 'tracking number', 'delivery'], ['print', 'track']],
    ['orders', ['order', 'order status', 'purchase order'], ['cancel', 'change']],
    ['inventory', ['stock level', 'inventory count', 'warehouse location'], ['adjust', 'count']],
    ['returns', ['return label', 'return request', 'exchange'], ['start', 'print']],
    ['gdpr', ['gdpr request', 'data processing agreement', 'privacy policy'], ['sign', 'download']],
    ['security', ['security audit', 'soc2 report', 'penetration test'], ['get', 'request']],
    ['audit-log', ['audit log', 'activity history', 'login history'], ['view', 'export']],
    ['custom-domain', ['custom domain', 'dns record', 'ssl certificate'], ['add', 'verify']],
    ['branding', ['logo', 'brand colors', 'email template'], ['upload', 'customize']],
    ['localization', ['language', 'translation', 'date format'], ['change', 'translate']],
    ['email-delivery', ['email bounce', 'spam folder', 'dkim'], ['fix', 'check']],
    ['chat-widget', ['chat widget', 'widget color', 'embed code'], ['install', 'hide']],
    ['automation', ['workflow rule', 'automation', 'auto assignment'], ['create', 'pause']],
    ['templates', ['reply template', 'macro', 'canned response'], ['create', 'edit']],
    ['tags', ['tag', 'label', 'category'], ['rename', 'merge']],
    ['attachments', ['attachment', 'file upload', 'image size'], ['upload', 'attach']],
    ['storage', ['storage quota', 'disk space', 'archive'], ['increase', 'free up']],
    ['trial', ['free trial', 'trial extension', 'trial end'], ['extend', 'start']],
    ['upgrades', ['upgrade', 'enterprise plan', 'pro plan'], ['upgrade', 'downgrade']],
    ['onboarding', ['setup guide', 'onboarding call', 'getting started checklist'], ['book', 'finish']],
    ['browser-support', ['safari support', 'firefox support', 'internet explorer'], ['use', 'support']],
    ['outages', ['outage', 'status page', 'downtime'], ['check', 'report']],
    ['bugs', ['bug', 'error message', 'crash'], ['report', 'fix']],
    ['time-tracking', ['timesheet', 'time entry', 'overtime'], ['log', 'edit']],
    ['payroll', ['payslip', 'payroll run', 'salary'], ['run', 'correct']],
    ['expenses', ['expense report', 'receipt scan', 'reimbursement'], ['submit', 'approve']],
    ['projects', ['project', 'milestone', 'task list'], ['create', 'archive']],
    ['comments', ['comment', 'mention', 'thread'], ['edit', 'delete']],
    ['sharing', ['share link', 'guest access', 'public link'], ['share', 'revoke']],
    ['printing', ['pdf', 'print layout', 'page margins'], ['print', 'export']],
    ['contracts', ['contract', 'e-signature', 'terms of service'], ['sign', 'renew']],
    ['referrals', ['referral program', 'partner discount', 'affiliate link'], ['join', 'claim']],
  ] as const
).map(([name, terms, verbs]) => ({ name, terms: [...terms], verbs: [...verbs] }));

const PAGES = [
  '/dashboard', '/settings/billing', '/settings/team', '/settings/security', '/integrations', '/reports', '/inbox',
  '/orders', '/help', '/developers', '/onboarding', '/projects', '/calendar', '/exports', '/imports', '/profile',
  '/notifications', '/automation', '/templates', '/widget', '/domains', '/billing/invoices', '/plans', '/checkout',
  '/shipping', '/inventory', '/timesheets', '/expenses', '/contracts', '/mobile',
];

interface Modifiers {
  platform: string;
  when: string;
  plan: string;
  count: number;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const QUESTION_TEMPLATES: Array<(verb: string, term: string, m: Modifiers) => string> = [
  (v, t) => `How do I ${v} my ${t}?`,
  (v, t, m) => `How can I ${v} the ${t} from ${m.platform}?`,
  (v, t) => `I can't ${v} my ${t}`,
  (_, t, m) => `${capitalise(t)} not working since ${m.when}`,
  (_, t, m) => `Why is my ${t} not working on ${m.platform}?`,
  (v, t, m) => `Is it possible to ${v} the ${t} on the ${m.plan} plan?`,
  (v, t) => `Where do I ${v} the ${t}?`,
  (v, t, m) => `Error when I try to ${v} the ${t} on ${m.platform}`,
  (_, t, m) => `${capitalise(t)} broken after ${m.when}`,
  (v, t) => `Can you help me ${v} my ${t}? It keeps failing`,
  (_, t, m) => `What happened to my ${t}? It changed ${m.when}`,
  (v, t, m) => `We need to ${v} the ${t} for ${m.count} users`,
];
const PLATFORMS = ['Chrome', 'Safari', 'Firefox', 'Edge', 'my iPhone', 'Android', 'Windows', 'my Mac'];
const WHENS = ['yesterday', 'this morning', 'last week', 'Monday', 'the last update', 'the weekend'];
const COUNTS = [5, 10, 25, 50, 100, 250];
const GREETINGS = ['', '', '', '', 'Hi, ', 'Hello, ', 'Hey, ', 'Good morning, '];
const ENDINGS = ['', '', '', ' Thanks', ' Please help', '!!'];
const ASPECTS = ['getting started', 'troubleshooting', 'limits', 'FAQ', 'settings', 'how it works', 'common errors', 'best practices'];
const CHANGE_WORDS = ['New', 'Redesigned', 'Deprecated', 'Faster', 'Reworked', 'Simplified'];
const HAND_OFF_REASONS = new Weighted([0.5, 0.3, 0.1, 0.1]);
const HAND_OFF_REASON_NAMES = ['low_confidence', 'no_knowledge', 'stale_knowledge', 'policy'];

/** Relative traffic by UTC weekday (Sunday first) and hour: European office hours, quiet weekends. */
const WEEKDAY_WEIGHT = [0.35, 1.15, 1.1, 1.05, 1.0, 0.9, 0.4];
const HOUR_WEIGHT = [0.08, 0.08, 0.08, 0.08, 0.08, 0.12, 0.3, 0.7, 1.0, 1.2, 1.2, 1.1, 1.0, 1.1, 1.1, 1.0, 0.9, 0.7, 0.5, 0.4, 0.35, 0.25, 0.15, 0.1];

// ---------------------------------------------------------------------------------------------------------
// Workspaces and the knowledge schedule

interface WorkspacePlan {
  index: number;
  id: string;
  name: string;
  share: number;
  /** Topic indices, most asked first. */
  topicOrder: number[];
  usualTopics: Weighted;
  /** During the last week: the spiking topics are asked four times as often. */
  spikeTopics: Weighted;
  spiking: number[];
  customers: number;
}

/** Item i of a workspace is about topic i % 60; its popularity rank within the topic is floor(i / 60). */
const ITEM_RANKS = Math.ceil(ITEMS_PER_WORKSPACE / TOPICS.length);
const ITEM_POPULARITY = new Weighted(zipf(ITEM_RANKS, 1.1));
const itemIndex = (topic: number, rank: number) => Math.min(ITEMS_PER_WORKSPACE - 1, topic + TOPICS.length * rank);
const itemTitle = (item: number) => {
  const topic = TOPICS[item % TOPICS.length]!;
  const rank = Math.floor(item / TOPICS.length);
  return `${capitalise(topic.terms[rank % topic.terms.length]!)}: ${ASPECTS[rank % ASPECTS.length]}${rank >= ASPECTS.length ? ` (${Math.floor(rank / ASPECTS.length) + 1})` : ''}`;
};

function planWorkspaces(count: number, ids: Ids, random: () => number): WorkspacePlan[] {
  const rest = zipf(count - 1, 0.9);
  const restSum = rest.reduce((s, w) => s + w, 0);
  const shares = count === 1 ? [1] : [BIG_WORKSPACE_SHARE, ...rest.map((w) => ((1 - BIG_WORKSPACE_SHARE) * w) / restSum)];
  return shares.map((share, index) => {
    const topicOrder = TOPICS.map((_, i) => i);
    for (let i = topicOrder.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [topicOrder[i], topicOrder[j]] = [topicOrder[j]!, topicOrder[i]!];
    }
    const spiking = [12, 24, 40].map((rank) => topicOrder[rank]!);
    const weightByTopic = new Array<number>(TOPICS.length);
    zipf(TOPICS.length, 1).forEach((w, rank) => (weightByTopic[topicOrder[rank]!] = w));
    return {
      index,
      id: ids.of(Namespace.Workspace, index),
      name: `Workspace ${String(index + 1).padStart(2, '0')}`,
      share,
      topicOrder,
      usualTopics: new Weighted(weightByTopic),
      spikeTopics: new Weighted(weightByTopic.map((w, topic) => (spiking.includes(topic) ? 4 * w : w))),
      spiking,
      customers: 0,
    };
  });
}

type OutboxRow = Parameters<typeof toInteractionEvent>[0];

interface Window {
  start: number;
  end: number;
  /** Start of the last seven days, where the spiking topics spike. */
  spikeFrom: number;
}

/**
 * Knowledge events that do not come from conversations, sorted by time: every item published in the first
 * minutes, a few archived, product changes that flag items of a topic stale (one per spiking topic two days
 * before the spike, so the spike has a change to link to), some flagged items edited later, and a few threshold
 * moves a week.
 */
function knowledgeSchedule(workspaces: WorkspacePlan[], window: Window, ids: Ids, random: () => number): InteractionEvent[] {
  const rows: OutboxRow[] = [];
  const row = (workspace: WorkspacePlan, type: string, at: number, payload: Record<string, unknown>) =>
    rows.push({ id: ids.next(), workspace_id: workspace.id, type, occurred_at: new Date(at), payload, correlation_id: ids.next() });
  const weeks = Math.round((window.end - window.start) / WEEK);
  for (const workspace of workspaces) {
    const itemId = (item: number) => ids.of(Namespace.KnowledgeItem, workspace.index * ITEMS_PER_WORKSPACE + item);
    for (let item = 0; item < ITEMS_PER_WORKSPACE; item++) {
      const topic = TOPICS[item % TOPICS.length]!.name;
      row(workspace, 'knowledge_published', window.start + item * SECOND, { knowledgeItemId: itemId(item), topic, title: itemTitle(item), kind: 'article', version: 1 });
    }
    for (let n = 0; n < 10; n++) {
      const item = itemIndex(Math.floor(random() * TOPICS.length), 20 + Math.floor(random() * (ITEM_RANKS - 20)));
      row(workspace, 'knowledge_archived', between(window.start + DAY, window.end - DAY, random), { knowledgeItemId: itemId(item), topic: TOPICS[item % TOPICS.length]!.name, actor: 'editor' });
    }
    const changes = [
      ...Array.from({ length: 6 }, () => ({ topic: workspace.topicOrder[Math.floor(random() * 30)]!, at: between(window.start + WEEK, window.spikeFrom - 3 * DAY, random) })),
      ...workspace.spiking.map((topic) => ({ topic, at: window.spikeFrom - 2 * DAY + between(0, 10 * HOUR, random) })),
    ];
    for (const change of changes) {
      const topic = TOPICS[change.topic]!;
      const productChangeId = ids.next();
      const ranks = [...new Set(Array.from({ length: 3 + Math.floor(random() * 6) }, () => Math.floor(random() * 10)))];
      row(workspace, 'product_change_recorded', change.at, {
        productChangeId,
        kind: 'release',
        title: `${pick(CHANGE_WORDS, random)} ${pick(topic.terms, random)}`,
        productAreas: [topic.name],
        flagged: ranks.length,
      });
      for (const rank of ranks) {
        const item = itemIndex(change.topic, rank);
        row(workspace, 'knowledge_flagged_stale', change.at + 1, { knowledgeItemId: itemId(item), topic: topic.name, productChangeId });
        const editedAt = change.at + between(DAY, 10 * DAY, random);
        if (random() < 0.4 && editedAt < window.end) {
          row(workspace, 'knowledge_updated', editedAt, { knowledgeItemId: itemId(item), topic: topic.name, title: itemTitle(item), version: 2 });
        }
      }
    }
    for (let week = 0; week < weeks; week++) {
      for (let n = 0; n < 3; n++) {
        const before = between(0.2, 0.6, random);
        const after = random() < 0.6 ? before - between(0.05, 0.15, random) : before + between(0.05, 0.15, random);
        row(workspace, 'threshold_moved', window.start + week * WEEK + between(0, WEEK, random), {
          topic: TOPICS[workspace.topicOrder[Math.floor(random() * 30)]!]!.name,
          before: Math.round(before * 100) / 100,
          after: Math.round(after * 100) / 100,
          samples: 20 + Math.floor(random() * 180),
        });
      }
    }
  }
  return rows.sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime()).map(toInteractionEvent);
}

// ---------------------------------------------------------------------------------------------------------
// Conversations

/** Which events a conversation has: drawn from its own stream, independent of time, topic and workspace. */
interface Shape {
  /** One entry per question; the conversation stops asking after a hand-off. */
  turns: Array<{ handedOff: boolean; rating: -1 | 0 | 1 }>;
  /** The customer asks for a person after the last answer. */
  escalated: boolean;
  claimed: boolean;
  replied: boolean;
  corrected: boolean;
  /** After a correction: a new learned answer, or a new phrasing of an existing one. */
  learnedNew: boolean;
  resolved: boolean;
  repeatContact: boolean;
}

function drawShape(random: () => number): Shape {
  const turns: Shape['turns'] = [];
  const questions = random() < 0.7 ? 1 : random() < 0.7 ? 2 : 3;
  for (let i = 0; i < questions; i++) {
    const handedOff = random() < 0.28;
    const rating = !handedOff && random() < 0.25 ? (random() < 0.75 ? 1 : -1) : 0;
    turns.push({ handedOff, rating });
    if (handedOff) break;
  }
  const answered = !turns.at(-1)!.handedOff;
  const escalated = answered && random() < 0.08;
  const handedOff = !answered || escalated;
  const claimed = handedOff && random() < 0.93;
  const replied = claimed && random() < 0.97;
  const corrected = replied && random() < 0.35;
  return {
    turns,
    escalated,
    claimed,
    replied,
    corrected,
    learnedNew: random() < 0.6,
    resolved: random() < (handedOff ? (replied ? 0.85 : 0.2) : 0.45),
    repeatContact: answered && !escalated && random() < 0.04,
  };
}

/** Must match what `conversationRows` emits for the shape (checked there). */
function eventCount(shape: Shape): number {
  let n = 0;
  for (const turn of shape.turns) n += turn.handedOff ? 2 : 3 + (turn.rating !== 0 ? 2 : 0);
  const handedOff = shape.turns.at(-1)!.handedOff || shape.escalated;
  if (shape.escalated) n += 2;
  if (shape.claimed) n += 1;
  if (shape.replied) n += 1;
  if (shape.corrected) n += 3;
  if (shape.resolved) n += handedOff ? 1 : 2;
  if (shape.repeatContact) n += 1;
  return n;
}

interface GenerationPlan {
  ids: Ids;
  window: Window;
  workspaces: WorkspacePlan[];
  schedule: InteractionEvent[];
  conversations: number;
  /** Events of the last conversation that are emitted (the rest are cut so the total is exactly N). */
  lastConversationEvents: number;
}

function plan(options: Options, end: number): GenerationPlan {
  const ids = new Ids(options.seed);
  const window: Window = { start: end - options.weeks * WEEK, end, spikeFrom: end - WEEK };
  const workspaces = planWorkspaces(options.workspaces, ids, prng(options.seed ^ 0x57a7e));
  const schedule = knowledgeSchedule(workspaces, window, ids, prng(options.seed ^ 0x5c4ed));
  const budget = options.events - schedule.length;
  if (budget <= 0) throw new Error(`--events ${options.events} is smaller than the knowledge schedule alone (${schedule.length} events for ${options.workspaces} workspaces)`);
  const shapes = shapeStream(options.seed);
  let conversations = 0;
  let total = 0;
  let last = 0;
  while (total < budget) {
    last = eventCount(drawShape(shapes));
    total += last;
    conversations++;
  }
  for (const workspace of workspaces) workspace.customers = Math.max(20, Math.round((conversations * workspace.share) / 3));
  return { ids, window, workspaces, schedule, conversations, lastConversationEvents: last - (total - budget) };
}

const shapeStream = (seed: number) => prng(seed ^ 0x5ba9e);

/** Yields the plan's events in time order: the schedule merged with conversations placed by the weekday/hour profile. */
class EventGenerator {
  private readonly ids: Ids;
  private readonly shapes: () => number;
  private readonly random: () => number;
  private readonly workspacePick: Weighted;

  constructor(
    private readonly generation: GenerationPlan,
    seed: number,
  ) {
    // plan()'s ids, so the serial carries on past every id the schedule used.
    this.ids = generation.ids;
    this.shapes = shapeStream(seed);
    this.random = prng(seed ^ 0xc0a7e);
    this.workspacePick = new Weighted(generation.workspaces.map((w) => w.share));
  }

  *events(): Generator<InteractionEvent> {
    const { window, schedule, conversations } = this.generation;
    const hours = Math.round((window.end - window.start) / HOUR);
    const weights = Array.from({ length: hours }, (_, h) => {
      const at = new Date(window.start + h * HOUR);
      return WEEKDAY_WEIGHT[at.getUTCDay()]! * HOUR_WEIGHT[at.getUTCHours()]!;
    });
    const totalWeight = weights.reduce((s, w) => s + w, 0);
    let cumulative = 0;
    let next = 0;
    let started = 0;
    for (let h = 0; h < hours; h++) {
      const slotStart = window.start + h * HOUR;
      cumulative += weights[h]!;
      const target = h === hours - 1 ? conversations : Math.round((conversations * cumulative) / totalWeight);
      while (next < schedule.length && schedule[next]!.occurredAt.getTime() < slotStart + HOUR) yield schedule[next++]!;
      for (; started < target; started++) {
        const shape = drawShape(this.shapes);
        const rows = this.conversationRows(shape, slotStart + this.random() * HOUR);
        if (rows.length !== eventCount(shape)) throw new Error(`Generator bug: ${rows.length} events for a shape counted as ${eventCount(shape)}`);
        const emit = started === conversations - 1 ? this.generation.lastConversationEvents : rows.length;
        for (let i = 0; i < emit; i++) yield toInteractionEvent(rows[i]!);
      }
    }
    while (next < schedule.length) yield schedule[next++]!;
  }

  /** Events after the window's end are pulled back into its last hour, keeping their order. */
  private clamp(at: number): number {
    const soft = this.generation.window.end - HOUR;
    return at < soft ? at : soft + HOUR * (1 - Math.exp(-(at - soft) / HOUR)) - 1;
  }

  private question(topic: Topic, plan: string): string {
    const r = this.random;
    const modifiers = { platform: pick(PLATFORMS, r), when: pick(WHENS, r), plan, count: pick(COUNTS, r) };
    return `${pick(GREETINGS, r)}${pick(QUESTION_TEMPLATES, r)(pick(topic.verbs, r), pick(topic.terms, r), modifiers)}${pick(ENDINGS, r)}`;
  }

  private conversationRows(shape: Shape, startedAt: number): OutboxRow[] {
    const r = this.random;
    const ids = this.ids;
    const workspace = this.generation.workspaces[this.workspacePick.pick(r)]!;
    const topicIndex = (startedAt >= this.generation.window.spikeFrom ? workspace.spikeTopics : workspace.usualTopics).pick(r);
    const topic = TOPICS[topicIndex]!;
    const customer = Math.floor(r() * workspace.customers);
    const customerId = ids.of(Namespace.Customer, workspace.index * 4_194_304 + customer);
    const planDraw = fmix32(customer ^ Math.imul(workspace.index + 1, 0x2545f491)) % 100;
    const plan = planDraw < 55 ? 'free' : planDraw < 90 ? 'pro' : 'enterprise';
    const page = r() < 0.6 ? PAGES[topicIndex % PAGES.length]! : pick(PAGES, r);
    const channel = r() < 0.8 ? 'widget' : 'email';
    const conversationId = ids.next();
    const common = { conversationId, customerId, page, topic: topic.name, plan, channel };
    const itemId = (item: number) => ids.of(Namespace.KnowledgeItem, workspace.index * ITEMS_PER_WORKSPACE + item);
    const topicItem = () => itemId(itemIndex(topicIndex, ITEM_POPULARITY.pick(r)));

    const rows: OutboxRow[] = [];
    const add = (type: string, at: number, payload: Record<string, unknown>, correlationId = ids.next()) =>
      rows.push({ id: ids.next(), workspace_id: workspace.id, type, occurred_at: new Date(this.clamp(at)), payload, correlation_id: correlationId });
    const outcome = (signal: string, at: number, knowledgeItemId: string, confidence: number, correct: boolean | null, correlationId?: string) =>
      add(`outcome_${signal}`, at, { knowledgeItemId, topic: topic.name, confidence, correct }, correlationId);

    let t = startedAt;
    let lastQuestion = '';
    let lastAnswer = { messageId: '', knowledgeItemId: '', confidence: 0, answered: false };
    shape.turns.forEach((turn, i) => {
      const correlationId = ids.next();
      lastQuestion = this.question(topic, plan);
      add('question_asked', t, { ...common, messageId: ids.next(), text: lastQuestion, followUp: i > 0 }, correlationId);
      const latencyMs = Math.round(logNormal(900, 0.5, r));
      t += latencyMs;
      const answered = !turn.handedOff;
      const confidence = Math.round((answered ? between(0.55, 0.98, r) : between(0.05, 0.45, r)) * 1000) / 1000;
      const knowledgeItemId = answered ? topicItem() : '';
      const handOffReason = answered ? '' : HAND_OFF_REASON_NAMES[HAND_OFF_REASONS.pick(r)]!;
      const messageId = ids.next();
      add(
        answered ? 'answer_shown' : 'handed_off',
        t,
        { ...common, messageId, text: answered ? '' : lastQuestion, knowledgeItemId, confidence, decision: answered ? 'answered' : 'handed_off', handOffReason, latencyMs, writer: answered ? 'extractive' : '', fallbackReason: '' },
        correlationId,
      );
      lastAnswer = { messageId, knowledgeItemId, confidence, answered };
      if (answered) {
        outcome('shown', t + 40, knowledgeItemId, confidence, null, correlationId);
        if (turn.rating !== 0) {
          t += between(10, 120, r) * SECOND;
          const ratingCorrelation = ids.next();
          add('answer_rated', t, { conversationId, messageId, rating: turn.rating, topic: topic.name, knowledgeItemId }, ratingCorrelation);
          outcome(turn.rating > 0 ? 'rated_up' : 'rated_down', t + 40, knowledgeItemId, confidence, turn.rating > 0, ratingCorrelation);
        }
      }
      t += between(20, 300, r) * SECOND;
    });

    const handedOff = !lastAnswer.answered || shape.escalated;
    if (shape.escalated) {
      t += between(1, 10, r) * MINUTE;
      add('escalated', t, { conversationId, customerId, topic: topic.name, handOffReason: 'customer_asked', by: 'customer', knowledgeItemId: lastAnswer.knowledgeItemId, text: lastQuestion });
      outcome('escalated', t + 40, lastAnswer.knowledgeItemId, lastAnswer.confidence, false);
    }
    const agent = `agent-${1 + Math.floor(r() * 12)}`;
    if (shape.claimed) {
      t += Math.min(24 * HOUR, logNormal(20 * MINUTE, 1.1, r));
      add('claimed', t, { conversationId, agent, topic: topic.name });
    }
    if (shape.replied) {
      t += between(1, 15, r) * MINUTE;
      add('agent_replied', t, { conversationId, messageId: ids.next(), agent, topic: topic.name });
    }
    if (shape.corrected) {
      t += between(0.5, 5, r) * MINUTE;
      const learnedAnswerId = shape.learnedNew ? ids.next() : topicItem();
      add('answer_corrected', t, { conversationId, messageId: ids.next(), correctedMessageId: lastAnswer.messageId, agent, topic: topic.name, knowledgeItemId: learnedAnswerId, confidence: lastAnswer.confidence });
      if (lastAnswer.answered) outcome('corrected', t + 40, lastAnswer.knowledgeItemId, lastAnswer.confidence, false);
      else outcome('handoff_reviewed', t + 40, learnedAnswerId, lastAnswer.confidence, null);
      t += between(1, 4, r) * SECOND;
      if (shape.learnedNew) {
        const status = r() < 0.7 ? 'published' : 'draft';
        add('learned_answer_created', t, { knowledgeItemId: learnedAnswerId, topic: topic.name, title: lastQuestion.slice(0, 80), conversationId, status });
      } else {
        add('question_variant_added', t, { knowledgeItemId: learnedAnswerId, topic: topic.name, conversationId });
      }
    }
    if (shape.resolved) {
      t += handedOff ? between(5, 120, r) * MINUTE : between(1, 30, r) * MINUTE;
      add('resolved', t, { conversationId, customerId, topic: topic.name, by: handedOff ? 'agent' : 'customer', knowledgeItemId: lastAnswer.knowledgeItemId });
      if (!handedOff) outcome('resolved', t + 40, lastAnswer.knowledgeItemId, lastAnswer.confidence, true);
    }
    if (shape.repeatContact) {
      outcome('repeat_contact', startedAt + between(1, 72, r) * HOUR, lastAnswer.knowledgeItemId, lastAnswer.confidence, false);
    }
    return rows;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Ingest

interface IngestMode {
  label: string;
  /** Passed to insertEvents; undefined means its default. */
  chunkSize?: number;
  events: number;
  inserts: number;
  ms: number;
}

interface IngestResult {
  modes: IngestMode[];
  batchSize: number;
  generateMs: number;
  wallMs: number;
  mix: Map<string, number>;
  perWorkspace: number[];
  rssAfterIngestMb: number;
  /** CPU time of this process (JS and chDB's threads) over the ingest, user + system. */
  cpuMs: number;
  loadAverage: number[];
}

async function ingest(warehouse: Warehouse, generation: GenerationPlan, options: Options): Promise<IngestResult> {
  const batchSize = Math.max(EVENT_INSERT_CHUNK_SIZE, ...options.chunks);
  const modes: IngestMode[] = [
    { label: `insertEvents, default chunk (${EVENT_INSERT_CHUNK_SIZE})`, events: 0, inserts: 0, ms: 0 },
    ...options.chunks.map((chunkSize) => ({ label: `insertEvents, chunkSize ${chunkSize}`, chunkSize, events: 0, inserts: 0, ms: 0 })),
  ];
  const workspaceIndex = new Map(generation.workspaces.map((w) => [w.id, w.index]));
  const perWorkspace = new Array<number>(generation.workspaces.length).fill(0);
  const mix = new Map<string, number>();
  const source = new EventGenerator(generation, options.seed).events();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let generateMs = 0;
  // The generator aims at options.events; the count it reaches differs a little, so the estimate is close, not exact.
  const progress = new Progress('  … ingest', { unit: 'events', total: options.events, everyMs: 30_000, write: (line) => console.log(line) });
  for (let batchNumber = 0; ; batchNumber++) {
    throwIfInterrupted();
    const generating = performance.now();
    const batch: InteractionEvent[] = [];
    while (batch.length < batchSize) {
      const next = source.next();
      if (next.done) break;
      batch.push(next.value);
      mix.set(next.value.eventType, (mix.get(next.value.eventType) ?? 0) + 1);
      perWorkspace[workspaceIndex.get(next.value.workspaceId)!]!++;
    }
    generateMs += performance.now() - generating;
    if (batch.length === 0) break;
    const mode = modes[batchNumber % modes.length]!;
    const inserting = performance.now();
    await insertEvents(warehouse, batch, { chunkSize: mode.chunkSize });
    mode.ms += performance.now() - inserting;
    mode.events += batch.length;
    mode.inserts += Math.ceil(batch.length / (mode.chunkSize ?? EVENT_INSERT_CHUNK_SIZE));
    progress.advance(batch.length);
    if (batch.length < batchSize) break;
  }
  progress.finish();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    modes,
    batchSize,
    generateMs,
    wallMs: performance.now() - started,
    mix,
    perWorkspace,
    rssAfterIngestMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loadAverage: os.loadavg(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Queries

interface Services {
  supportMetrics: SupportMetricsService;
  learning: LearningCurveService;
  content: StaleContentService;
  trends: TopicSpikesService;
  gaps: KnowledgeGapsService;
}

interface Operation {
  name: string;
  run(): Promise<unknown> | unknown;
  /** One line saying what the last run found, to show the queries did real work. */
  describe(result: unknown): string;
}

interface OperationTiming {
  name: string;
  firstMs: number;
  ms: Distribution;
  found: string;
}

function operations(services: Services, workspace: WorkspacePlan, window: Window, isoWeek: string): Operation[] {
  const { supportMetrics, learning, content, trends, gaps } = services;
  const id = workspace.id;
  const end = new Date(window.end);
  const daysAgo = (days: number) => new Date(window.end - days * DAY);
  const builder = new WeeklyReportBuilder({ supportMetrics, learning, content, trends, gaps });
  let report: WeeklyReportContent | undefined;
  const built = async () => (report ??= await builder.build({ id, name: workspace.name, timeZone: TIME_ZONE }, isoWeek, end));
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
  type Metrics = Awaited<ReturnType<SupportMetricsService['metrics']>>;
  const metricsFound = (m: Metrics) =>
    `${m.buckets.length} buckets, ${m.totals.questions} questions, automation ${pct(m.totals.automationRate)}, first response p50 ${m.totals.medianFirstResponseSeconds?.toFixed(0) ?? 'n/a'} s, ${m.handOffReasons.length} hand-off reasons`;
  return [
    {
      name: 'support metrics, day x 30 d',
      run: () => supportMetrics.metrics(id, { from: daysAgo(30), to: end, granularity: 'day', timeZone: TIME_ZONE }),
      describe: (r) => metricsFound(r as Metrics),
    },
    {
      name: 'support metrics, week x 26 w',
      run: () => supportMetrics.metrics(id, { from: daysAgo(26 * 7), to: end, granularity: 'week', timeZone: TIME_ZONE }),
      describe: (r) => metricsFound(r as Metrics),
    },
    {
      name: 'learning curve, week x 26 w',
      run: () => learning.curve(id, { from: daysAgo(26 * 7), to: end, granularity: 'week', timeZone: TIME_ZONE }),
      describe: (r) => {
        const curve = r as Awaited<ReturnType<LearningCurveService['curve']>>;
        const sum = (f: (b: (typeof curve)[number]) => number) => curve.reduce((s, b) => s + f(b), 0);
        return `${curve.length} buckets, ${sum((b) => b.correctionsAbsorbed)} corrections, ${sum((b) => b.learnedAnswersPublished)} learned answers, ${sum((b) => b.topicsOpened)} topics opened`;
      },
    },
    {
      name: 'friction points, 30 d, first 20',
      run: () => learning.friction(id, daysAgo(30), end, 20),
      describe: (r) => {
        const rows = r as Awaited<ReturnType<LearningCurveService['friction']>>;
        const top = rows[0];
        return `${rows.length} rows${top ? `; top ${top.topic}/${top.plan}/${top.page}: ${top.handOffs} hand-offs, ${top.downRatings} down, ${top.repeatContacts} repeats` : ''}`;
      },
    },
    {
      name: 'topic spikes, last 7 d',
      run: () => trends.spikes(id, { from: daysAgo(7), to: end, ...SPIKE_DEFAULTS }),
      describe: (r) => {
        const s = r as Awaited<ReturnType<TopicSpikesService['spikes']>>;
        const expected = workspace.spiking.map((t) => TOPICS[t]!.name);
        return `${s.spikes.length} spikes of ${s.topicsTested} topics [${s.spikes.map((x) => `${x.topic} ${x.volume} vs ${x.baseline.toFixed(0)}, ${x.productChanges.length} change(s)`).join('; ')}] (spiked by the generator: ${expected.join(', ')})`;
      },
    },
    {
      name: 'knowledge gaps, last 7 d, first 20',
      run: () => gaps.gaps(id, { from: daysAgo(7), to: end, first: 20 }),
      describe: (r) => {
        const clusters = r as Awaited<ReturnType<KnowledgeGapsService['gaps']>>;
        return `${clusters.length} clusters; top: ${clusters.slice(0, 3).map((c) => `"${c.label}" ${c.volume} (${c.distinctQuestions} wordings)`).join(', ')}`;
      },
    },
    {
      name: 'stale content: still served, first 50',
      run: () => content.staleStillServed(id, 50),
      describe: (r) => {
        const rows = r as Awaited<ReturnType<StaleContentService['staleStillServed']>>;
        return `${rows.length} items; most served ${rows[0]?.timesServed ?? 0} times since flagged`;
      },
    },
    {
      name: 'stale content: uncited 90 d, first 50',
      run: () => content.uncited(id, 90, end, 50),
      describe: (r) => `${(r as unknown[]).length} items`,
    },
    {
      name: `weekly report build (${isoWeek})`,
      run: () => {
        report = undefined;
        return built();
      },
      describe: (r) => {
        const c = r as WeeklyReportContent;
        return `${c.headline.questions.current} questions (prev ${c.headline.questions.previous}), ${c.risingTopics.length} rising, ${c.knowledgeGaps.length} gaps, ${c.frictionPoints.length} friction, ${c.staleStillServed.length} stale, ${c.findings.length} findings`;
      },
    },
    {
      name: 'weekly report render: markdown',
      run: async () => renderMarkdown(await built()),
      describe: (r) => `${(r as string).length.toLocaleString('en-US')} chars`,
    },
    {
      name: 'weekly report render: html',
      run: async () => renderHtml(await built()),
      describe: (r) => `${(r as string).length.toLocaleString('en-US')} chars`,
    },
  ];
}

async function timeOperations(ops: Operation[], repeat: number): Promise<OperationTiming[]> {
  const timings: OperationTiming[] = [];
  for (const op of ops) {
    throwIfInterrupted();
    // Rendering is timed on a report already built (the render operations build it lazily in their warm-up run).
    let started = performance.now();
    let result = await op.run();
    const firstMs = performance.now() - started;
    const samples: number[] = [];
    for (let i = 0; i < repeat; i++) {
      throwIfInterrupted();
      started = performance.now();
      result = await op.run();
      samples.push(performance.now() - started);
    }
    timings.push({ name: op.name, firstMs, ms: distribution(samples), found: op.describe(result) });
  }
  return timings;
}

// ---------------------------------------------------------------------------------------------------------
// Measurements of the warehouse itself

async function rows<T>(warehouse: Warehouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await warehouse.client.query({ query, query_params: { database: warehouse.database, ...params }, format: 'JSONEachRow' });
  return result.json<T>();
}

interface TableStorage {
  table: string;
  parts: number;
  rows: number;
  bytesOnDisk: number;
  compressed: number;
  uncompressed: number;
}

const tableStorage = (warehouse: Warehouse) =>
  rows<TableStorage>(
    warehouse,
    `SELECT table, count() AS parts, sum(rows) AS rows, sum(bytes_on_disk) AS bytesOnDisk,
            sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed
       FROM system.parts
      WHERE database = {database:String} AND active
      GROUP BY table
      ORDER BY table`,
  );

const runningMerges = async (warehouse: Warehouse) =>
  Number((await rows<{ merges: number }>(warehouse, 'SELECT count() AS merges FROM system.merges WHERE database = {database:String}'))[0]?.merges ?? 0);

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split(/\s/)[0]) * 1024;
}

function chdbPackageVersion(): string {
  const packageJson = path.join(path.dirname(require.resolve('chdb')), 'package.json');
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------------------
// Output

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const count = (n: number) => n.toLocaleString('en-US');
const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : 'n/a');

function printTable(headers: string[], body: string[][], rightAligned: boolean[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of body) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const options = readOptions();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupted.abort(signal));

  // The window ends at today's UTC midnight so a seed gives the same events all day.
  const today = new Date();
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  // The last ISO week that ended before the window's end, in the workspace time zone too (Paris is ahead of UTC).
  const isoWeek = isoWeekOf(new Date(end - WEEK));

  if (options.dir && existsSync(options.dir) && readdirSync(options.dir).length > 0) {
    throw new Error(`--dir ${options.dir} is not empty; the benchmark needs a fresh warehouse (and removes the folder afterwards unless --keep)`);
  }
  const dir = path.resolve(options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'loopdesk-warehouse-bench-')));

  const planning = performance.now();
  const generation = plan(options, end);
  const planMs = performance.now() - planning;

  const cpus = os.cpus();
  const loadAverageAtStart = os.loadavg();
  console.log('== setup');
  console.log(`  node               ${process.version} (${process.platform}/${process.arch})`);
  console.log(`  cpu                ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`);
  console.log(`  memory             ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`);
  console.log(`  load average       ${loadAverages(loadAverageAtStart)} (1, 5, 15 min) before starting; other processes share the CPUs`);
  console.log(`  chdb               npm chdb ${chdbPackageVersion()}`);
  console.log(`  warehouse          ${dir} (${options.keep ? 'kept' : 'removed at the end'})`);
  console.log(`  options            ${JSON.stringify(options)}`);
  console.log(`  window             ${new Date(generation.window.start).toISOString()} .. ${new Date(end).toISOString()} (${options.weeks} weeks; spikes from ${new Date(generation.window.spikeFrom).toISOString()})`);
  console.log(`  events             ${count(options.events)}: ${count(generation.schedule.length)} knowledge-schedule events + ${count(generation.conversations)} conversations`);
  console.log(`  workspaces         ${options.workspaces}, shares ${generation.workspaces.map((w) => `${(100 * w.share).toFixed(1)}%`).join(' ')}`);
  console.log(`  queries            time zone ${TIME_ZONE}; 1 warm-up + ${options.repeat} timed runs each; report week ${isoWeek}`);
  console.log(`  planning           ${ms(planMs)} ms (shape pass + knowledge schedule)`);

  let warehouse: Warehouse | undefined;
  try {
    const opening = performance.now();
    warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dir }));
    const migrations = await migrateWarehouse(warehouse);
    const openMs = performance.now() - opening;
    const engineVersion = (await rows<{ version: string }>(warehouse, 'SELECT version() AS version'))[0]?.version ?? 'unknown';
    console.log(`  engine             ClickHouse ${engineVersion} (chDB, in process); opened and migrated (${migrations.join(', ')}) in ${ms(openMs)} ms`);

    console.log(`\n== ingest (batches of ${count(Math.max(EVENT_INSERT_CHUNK_SIZE, ...options.chunks))} events, given in turn to each mode)`);
    const ingested = await ingest(warehouse, generation, options);
    const insertMs = ingested.modes.reduce((s, m) => s + m.ms, 0);
    const totalEvents = ingested.modes.reduce((s, m) => s + m.events, 0);
    printTable(
      ['mode', 'events', 'inserts', 'seconds', 'events/s'],
      [
        ...ingested.modes.map((m) => [m.label, count(m.events), count(m.inserts), (m.ms / 1000).toFixed(1), m.events ? count(Math.round(m.events / (m.ms / 1000))) : 'n/a']),
        ['all inserts', count(totalEvents), count(ingested.modes.reduce((s, m) => s + m.inserts, 0)), (insertMs / 1000).toFixed(1), count(Math.round(totalEvents / (insertMs / 1000)))],
        ['event generation (JS, not in the above)', count(totalEvents), '', (ingested.generateMs / 1000).toFixed(1), count(Math.round(totalEvents / (ingested.generateMs / 1000)))],
        ['wall: generate + insert', count(totalEvents), '', (ingested.wallMs / 1000).toFixed(1), count(Math.round(totalEvents / (ingested.wallMs / 1000)))],
      ],
      [false, true, true, true, true],
    );
    console.log(`  this process used ${(ingested.cpuMs / 1000).toFixed(0)} s of CPU in ${(ingested.wallMs / 1000).toFixed(0)} s (${(ingested.cpuMs / ingested.wallMs).toFixed(2)} cores); load average at the end ${loadAverages(ingested.loadAverage)}`);

    console.log('\n== event mix');
    const mix = [...ingested.mix].sort((a, b) => b[1] - a[1]);
    printTable(['event type', 'events', 'share'], mix.map(([type, n]) => [type, count(n), `${((100 * n) / totalEvents).toFixed(2)}%`]), [false, true, true]);

    const byEvents = [...generation.workspaces].sort((a, b) => ingested.perWorkspace[b.index]! - ingested.perWorkspace[a.index]! || a.index - b.index);
    const big = byEvents[0]!;
    const median = byEvents[Math.floor(byEvents.length / 2)]!;
    console.log('\n== workspaces (events)');
    console.log(`  ${byEvents.map((w) => `${w.name} ${count(ingested.perWorkspace[w.index]!)}`).join(', ')}`);
    console.log(`  big: ${big.name} (${big.id}); median: ${median.name} (${median.id})`);

    console.log('\n== stored (as ingested, no OPTIMIZE)');
    const counting = performance.now();
    const [counted] = await rows<{ rows: number; ids: number }>(warehouse, 'SELECT count() AS rows, uniqExact(event_id) AS ids FROM {database:Identifier}.interaction_events');
    const countMs = performance.now() - counting;
    const storage = await tableStorage(warehouse);
    const merges = await runningMerges(warehouse);
    const diskBytes = duBytes(dir);
    console.log(`  count()            ${count(Number(counted!.rows))} rows, uniqExact(event_id) ${count(Number(counted!.ids))} (generated ${count(totalEvents)}; ${Number(counted!.rows) === totalEvents && Number(counted!.ids) === totalEvents ? 'nothing lost, no duplicates' : 'MISMATCH'}), in ${ms(countMs)} ms`);
    console.log(`  du -sk             ${mb(diskBytes)} MiB (${(diskBytes / totalEvents).toFixed(1)} bytes/event) in ${dir}`);
    printTable(
      ['table', 'active parts', 'rows', 'on disk MiB', 'compressed MiB', 'uncompressed MiB'],
      storage.map((s) => [s.table, count(Number(s.parts)), count(Number(s.rows)), mb(Number(s.bytesOnDisk)), mb(Number(s.compressed)), mb(Number(s.uncompressed))]),
      [false, true, true, true, true, true],
    );
    console.log(`  merges running     ${merges} (right after the last insert)`);
    console.log(`  max RSS            ${ingested.rssAfterIngestMb.toFixed(0)} MB after ingest`);

    const services: Services = {
      supportMetrics: new SupportMetricsService(warehouse),
      learning: new LearningCurveService(warehouse),
      content: new StaleContentService(warehouse),
      trends: new TopicSpikesService(warehouse),
      gaps: new KnowledgeGapsService(warehouse),
    };
    const queried: Array<{ workspace: WorkspacePlan; role: string; events: number; timings: OperationTiming[] }> = [];
    for (const [role, workspace] of [['big', big], ['median', median]] as const) {
      const events = ingested.perWorkspace[workspace.index]!;
      console.log(`\n== queries: ${role} workspace, ${workspace.name}, ${count(events)} events (${merges} merges were running at the start)`);
      const timings = await timeOperations(operations(services, workspace, generation.window, isoWeek), options.repeat);
      queried.push({ workspace, role, events, timings });
      for (const t of timings) console.log(`  ${t.name.padEnd(40)} ${t.found}`);
    }

    const mergesAfter = await runningMerges(warehouse);
    const partsAfter = await tableStorage(warehouse);
    console.log(`\n== query times, ms (1st = warm-up run; p50/p99 over ${options.repeat} runs, nearest rank)`);
    const [bigRun, medianRun] = queried;
    printTable(
      ['operation', `big ${count(bigRun!.events)} ev: 1st`, 'p50', 'p99', `median ${count(medianRun!.events)} ev: 1st`, 'p50', 'p99'],
      bigRun!.timings.map((t, i) => {
        const m = medianRun!.timings[i]!;
        return [t.name, ms(t.firstMs), ms(t.ms.p50), ms(t.ms.p99), ms(m.firstMs), ms(m.ms.p50), ms(m.ms.p99)];
      }),
      [false, true, true, true, true, true, true],
    );
    console.log(`  merges running after the queries: ${mergesAfter}; active parts: ${partsAfter.map((p) => `${p.table} ${p.parts}`).join(', ')}; load average ${loadAverages()}`);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`\n== process: max RSS ${maxRssMb.toFixed(0)} MB; total ${((performance.now() - planning) / 1000).toFixed(0)} s`);

    if (options.json) {
      const figures = {
        date: new Date().toISOString(),
        setup: {
          node: process.version,
          chdb: chdbPackageVersion(),
          engine: engineVersion,
          cpu: { model: cpus[0]?.model ?? 'unknown', count: cpus.length },
          totalMemoryBytes: os.totalmem(),
          loadAverageAtStart: loadAverageAtStart,
          options,
          window: { start: new Date(generation.window.start).toISOString(), end: new Date(end).toISOString(), spikeFrom: new Date(generation.window.spikeFrom).toISOString() },
          timeZone: TIME_ZONE,
          reportWeek: isoWeek,
          conversations: generation.conversations,
          scheduleEvents: generation.schedule.length,
          workspaceShares: generation.workspaces.map((w) => w.share),
        },
        ingest: {
          batchSize: ingested.batchSize,
          modes: ingested.modes.map((m) => ({ ...m, eventsPerSecond: m.events / (m.ms / 1000) })),
          insertMs,
          generateMs: ingested.generateMs,
          wallMs: ingested.wallMs,
          eventsPerSecondInserting: totalEvents / (insertMs / 1000),
          eventsPerSecondWall: totalEvents / (ingested.wallMs / 1000),
          cpuMs: ingested.cpuMs,
          loadAverageAtEnd: ingested.loadAverage,
        },
        eventMix: Object.fromEntries(mix),
        workspaces: generation.workspaces.map((w) => ({ name: w.name, id: w.id, events: ingested.perWorkspace[w.index] })),
        stored: { rows: Number(counted!.rows), uniqueEventIds: Number(counted!.ids), countMs, duBytes: diskBytes, tables: storage, mergesRunningAfterIngest: merges, tablesAfterQueries: partsAfter },
        maxRssMbAfterIngest: ingested.rssAfterIngestMb,
        maxRssMb,
        queries: queried.map((q) => ({ role: q.role, workspace: q.workspace.name, events: q.events, timings: q.timings })),
      };
      writeFileSync(path.resolve(options.json), `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`figures written to ${path.resolve(options.json)}`);
    }
  } finally {
    await warehouse?.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
