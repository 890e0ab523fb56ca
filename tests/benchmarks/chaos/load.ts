/**
 * The steady load of the chaos benchmark, as front-ends and agents would send it: customers ask (most questions
 * answerable from the seeded articles, some about invented products, which are handed off), then rate some
 * answers or ask for a human; agents correct the handed-off answers, oldest first. A probe sends one fresh ask
 * every few hundred milliseconds, without retries, to time when asks succeed again after a fault.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { prng } from '../bench-support';
import { FrontEndOptions, Write, sendWrite } from './front-end';

const ASK = `mutation Ask($input: AskInput!) { ask(input: $input) { decision conversationSecret conversation { id } message { id } } }`;
const RATE = `mutation Rate($input: RateAnswerInput!) { rateAnswer(input: $input) { id rating } }`;
const REQUEST_HUMAN = `mutation Human($input: ConversationRef!) { requestHuman(input: $input) { id status } }`;
const CORRECT = `mutation Correct($input: CorrectAnswerInput!) { correctAnswer(input: $input) { message { id } } }`;

interface AskData {
  ask: { decision: string; conversationSecret: string | null; conversation: { id: string }; message: { id: string } };
}

export const SEED_ARTICLES = [
  { title: 'Refund times', body: 'Refunds reach your card within five business days after we approve them.' },
  { title: 'Inviting teammates', body: 'Admins invite teammates from Settings > Team > Invite; each invite link stays valid for seven days.' },
  { title: 'Exporting reports', body: 'Export any report as CSV from its menu: choose Export, then CSV; exports over 10,000 rows arrive by email.' },
];

// Answered from the seeded articles at this workspace's default bar, even with the unique tag appended.
const ANSWERABLE = ['How do I invite a teammate to my team?', 'Can I export a report as CSV?'];
const SYLLABLES = ['zor', 'vel', 'tam', 'qui', 'brex', 'lum', 'dax', 'fen', 'ros', 'kip', 'mul', 'sad', 'nov', 'pel', 'gri', 'tox'];
const UNANSWERABLE = [
  (a: string, b: string) => `How do I connect ${a} to my ${b} workspace?`,
  (a: string, b: string) => `Why does the ${a} report show no rows for ${b}?`,
  (a: string, b: string) => `Where do I change the ${a} limit for ${b} users?`,
];

export interface LoadOptions {
  customers: number;
  agents: number;
  /** Pause between one customer's writes. */
  thinkMs: number;
  /** Share of questions about invented products (handed off, then corrected by an agent). */
  unanswerableShare: number;
  /** Share of answered turns after which the customer asks for a human. */
  requestHumanShare: number;
  /** Share of answered turns the customer rates. */
  rateShare: number;
  /** Share of those ratings that are down. */
  downRatingShare: number;
  probeEveryMs: number;
  seed: number;
  keys: { widget: string; agent: string };
  frontEnd: FrontEndOptions;
}

export interface RunningLoad {
  /** Every write finished so far (probes included), in the order they finished. */
  writes: Write[];
  /** Stops starting new writes and waits for those under way (each ends within its retry budget). */
  stop(): Promise<void>;
}

export function startLoad(options: LoadOptions): RunningLoad {
  const random = prng(options.seed);
  const writes: Write[] = [];
  const corrections: Array<{ messageId: string; question: string }> = [];
  let running = true;
  let serial = 0;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const word = () => pick(SYLLABLES) + pick(SYLLABLES) + pick(SYLLABLES);

  const send = async <T>(kind: Write['kind'], ref: string, apiKey: string, query: string, input: Record<string, unknown>, frontEnd = options.frontEnd) => {
    const write = sendWrite<T>(frontEnd, kind, ref, apiKey, query, input);
    const done = await write;
    writes.push(done);
    return done;
  };

  async function customer(id: number): Promise<void> {
    while (running) {
      serial += 1;
      // Every question is unique, so storage can be counted per question text.
      const tag = `(c${id}-${serial})`;
      const text = random() >= options.unanswerableShare ? `${pick(ANSWERABLE)} ${tag}` : `${pick(UNANSWERABLE)(word(), word())} ${tag}`;
      const asked = await send<AskData>('ask', text, options.keys.widget, ASK, { text });
      const turn = asked.data?.ask;
      if (turn?.decision === 'HANDED_OFF') corrections.push({ messageId: turn.message.id, question: text });
      else if (turn) {
        const roll = random();
        const secret = turn.conversationSecret;
        if (roll < options.rateShare) {
          await send('rateAnswer', turn.message.id, options.keys.widget, RATE, { messageId: turn.message.id, rating: roll < options.rateShare * (1 - options.downRatingShare) ? 'UP' : 'DOWN', conversationSecret: secret });
        } else if (roll < options.rateShare + options.requestHumanShare) {
          const handedOff = await send('requestHuman', turn.conversation.id, options.keys.widget, REQUEST_HUMAN, { conversationId: turn.conversation.id, conversationSecret: secret });
          if (handedOff.outcome === 'acknowledged') corrections.push({ messageId: turn.message.id, question: text });
        }
      }
      await sleep(options.thinkMs * (0.5 + random()));
    }
  }

  async function agent(): Promise<void> {
    while (running) {
      const next = corrections.shift();
      if (!next) {
        await sleep(200);
        continue;
      }
      const correctedText = `For "${next.question}": open Settings > Integrations, pick the product named in the question and press Connect; changes apply within a minute.`;
      await send('correctAnswer', next.messageId, options.keys.agent, CORRECT, { messageId: next.messageId, correctedText });
      await sleep(options.thinkMs * (0.5 + random()));
    }
  }

  const probes = new Set<Promise<unknown>>();
  const probeOptions = { ...options.frontEnd, retries: false, attemptTimeoutMs: Math.min(options.frontEnd.attemptTimeoutMs, 10_000) };
  const probeTimer = setInterval(() => {
    // A hung gateway would otherwise pile probes up: at most 20 waiting at once.
    if (probes.size >= 20) return;
    serial += 1;
    const text = `${pick(ANSWERABLE)} (probe-${serial})`;
    const probe = send('probeAsk', text, options.keys.widget, ASK, { text }, probeOptions);
    probes.add(probe);
    void probe.finally(() => probes.delete(probe));
  }, options.probeEveryMs);

  const loops = [...Array.from({ length: options.customers }, (_, i) => customer(i + 1)), ...Array.from({ length: options.agents }, () => agent())];
  return {
    writes,
    async stop() {
      running = false;
      clearInterval(probeTimer);
      await Promise.all([...loops, ...probes]);
    },
  };
}
