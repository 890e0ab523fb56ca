/**
 * The agents' desk through the gateway: agents are people with personal keys, everything they do is recorded
 * under them, claims mean something (CONFLICT naming the holder, unclaim, reassign), and the escalation
 * workflow's SLA re-assignment goes through the same release. The asker's account context is kept between asks
 * and a change in account-context reaches the next ask. Satisfaction: CSAT after resolution in the
 * support metrics and the weekly report by topic, drop-offs after a (short) window as outcomes and friction, and
 * time to resolution in an answer's evidence.
 */
import { isoWeekOf } from '../../workflows/iso-week';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { EscalationState, escalationStateQuery, escalationWorkflowId } from '../../workflows/escalation-contract';
import { GraphQLResult, codeOf, customerToken, dataOf, graphql } from '../helpers/graphql';
import { eventually } from '../helpers/eventually';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

let env: TestStack;
let connection: Connection;
let temporal: Client;
/** How often the conversation service's drop-off sweep looks, in this stack. */
const DROP_OFF_SWEEP_MS = 200;

beforeAll(async () => {
  // The drop-off sweep looks every 200 ms, so a workspace's one-second drop-off window is seen promptly.
  env = await startTestStack({ DROP_OFF_SWEEP_MS: String(DROP_OFF_SWEEP_MS) });
  connection = await Connection.connect({ address: env.temporalAddress });
  temporal = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await env?.stop();
});

const as = (key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<any>> => graphql(env.gatewayUrl, query, variables, { apiKey: key });

const CREATE_AGENT = `mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id name email role groups availability subject active } apiKey { id role agentId } secret } }`;
const ASK = `mutation($input: AskInput!) { ask(input: $input) { decision conversation { id } message { id } } }`;
const CLAIM = 'mutation($input: ConversationRef!) { claimConversation(input: $input) { id claimedBy claimant { id name } } }';
const REPLY = 'mutation($input: ReplyInput!) { replyToConversation(input: $input) { id author writtenBy agent { id name email } } }';
const CORRECT = 'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning learnedAnswer { id } message { writtenBy agent { name } } } }';
const RESOLVE = 'mutation($input: ConversationRef!) { resolveConversation(input: $input) { status } }';
const UNCLAIM = 'mutation($input: ConversationRef!) { unclaimConversation(input: $input) { claimedBy claimant { id } assignedGroup } }';
const REASSIGN = 'mutation($input: ReassignConversationInput!) { reassignConversation(input: $input) { claimedBy claimant { id name } assignedGroup } }';
const CONVERSATION = 'query($id: ID!) { conversation(id: $id) { claimedBy claimant { id name } assignedGroup escalationSteps { kind detail } } }';

interface Person {
  id: string;
  subject: string;
  key: string;
  name: string;
}

async function person(ws: TestWorkspace, name: string, options: { role?: 'AGENT' | 'ADMIN'; groups?: string[] } = {}): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@${ws.id.slice(0, 8)}.example`;
  const created = dataOf(await ws.as('admin', CREATE_AGENT, { input: { name, email, ...options } })).createAgent;
  return { id: created.agent.id, subject: created.agent.subject, key: created.secret, name };
}

/** A question nobody taught the workspace: it hands off, and the escalation workflow has taken it. */
async function handedOff(ws: TestWorkspace, text: string): Promise<{ conversationId: string; messageId: string }> {
  const asked = dataOf(await ws.as('widget', ASK, { input: { text } })).ask;
  expect(asked.decision).toBe('HANDED_OFF');
  const conversationId = asked.conversation.id as string;
  await eventually(() => stateOf(conversationId).catch(() => null), (s) => s !== null && s.aiMessageIds.length === 1);
  return { conversationId, messageId: asked.message.id };
}

const stateOf = (conversationId: string): Promise<EscalationState> => temporal.workflow.getHandle(escalationWorkflowId(conversationId)).query(escalationStateQuery);

describe('agents are people', () => {
  it('an admin adds a person; their personal key acts as them, and every action is recorded under them', async () => {
    const ws = await createTestWorkspace(env, 'People');
    const created = dataOf(await ws.as('admin', CREATE_AGENT, { input: { name: 'Ada Lovelace', email: 'ada@example.com', groups: ['billing', 'tier-2'] } })).createAgent;
    expect(created.agent).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', role: 'AGENT', groups: ['billing', 'tier-2'], availability: 'AVAILABLE', active: true });
    expect(created.agent.subject).toBe(`agent:${created.agent.id}`);
    expect(created.apiKey).toMatchObject({ role: 'AGENT', agentId: created.agent.id });
    const ada = created.secret as string;

    expect(dataOf(await as(ada, '{ me { id name } }')).me).toEqual({ id: created.agent.id, name: 'Ada Lovelace' });
    expect(dataOf(await ws.as('agent', '{ me { id } }')).me).toBeNull();
    expect(dataOf(await as(ada, '{ agents { name groups } }')).agents).toEqual([{ name: 'Ada Lovelace', groups: ['billing', 'tier-2'] }]);
    expect(dataOf(await as(ada, 'mutation { setMyAvailability(input: { availability: AWAY }) { availability } }')).setMyAvailability.availability).toBe('AWAY');
    expect(dataOf(await ws.as('admin', '{ agents(filter: { availability: AWAY }) { id } }')).agents).toEqual([{ id: created.agent.id }]);

    // Claim, reply and correct with the personal key: each is recorded as agent:<id>, and the person resolves.
    const { conversationId, messageId } = await handedOff(ws, 'Can I export my invoices as a single PDF?');
    const claimed = dataOf(await as(ada, CLAIM, { input: { conversationId } })).claimConversation;
    expect(claimed).toEqual({ id: conversationId, claimedBy: created.agent.subject, claimant: { id: created.agent.id, name: 'Ada Lovelace' } });
    expect((await eventually(() => stateOf(conversationId), (s) => s.assignee !== null)).assignee).toBe(created.agent.subject);

    const reply = dataOf(await as(ada, REPLY, { input: { conversationId, text: 'Looking into it now.' } })).replyToConversation;
    expect(reply).toMatchObject({ author: 'AGENT', writtenBy: created.agent.subject, agent: { id: created.agent.id, name: 'Ada Lovelace', email: 'ada@example.com' } });

    const corrected = dataOf(await as(ada, CORRECT, { input: { messageId, correctedText: 'Yes: in Billing > Invoices select them and choose Download as one PDF.' } })).correctAnswer;
    expect(corrected.message).toEqual({ writtenBy: created.agent.subject, agent: { name: 'Ada Lovelace' } });
    const learned = dataOf(await ws.as('admin', '{ learningEvents(filter: { kind: LEARNED_ANSWER_CREATED }) { events { id actor } } }')).learningEvents.events;
    expect(learned).toEqual([{ id: expect.any(String), actor: created.agent.subject }]);

    // An admin person reverts it: the revert is theirs.
    const boss = await person(ws, 'Grace Hopper', { role: 'ADMIN' });
    const reverted = dataOf(await as(boss.key, 'mutation($input: KnowledgeItemRef!) { revertLearningEvent(input: $input) { revertedBy } }', { input: { id: learned[0].id } })).revertLearningEvent;
    expect(reverted.revertedBy).toBe(boss.subject);

    expect(dataOf(await as(ada, RESOLVE, { input: { conversationId } })).resolveConversation.status).toBe('RESOLVED');
  });

  it('approvals in a review-required workspace are recorded under the admin who approved', async () => {
    const ws = await createTestWorkspace(env, 'Approvals');
    dataOf(await ws.as('admin', 'mutation { updateLearningSettings(input: { learningMode: REVIEW_REQUIRED }) { learningMode } }'));
    const agent = await person(ws, 'Alan Turing');
    const boss = await person(ws, 'Barbara Liskov', { role: 'ADMIN' });
    const { conversationId, messageId } = await handedOff(ws, 'Is there a discount for nonprofits?');
    dataOf(await as(agent.key, CLAIM, { input: { conversationId } }));
    const correction = dataOf(await as(agent.key, CORRECT, { input: { messageId, correctedText: 'Yes: nonprofits get 50% off any plan.' } })).correctAnswer;
    dataOf(await as(boss.key, 'mutation($input: ApproveLearnedAnswerInput!) { approveLearnedAnswer(input: $input) { id } }', { input: { id: correction.learnedAnswer.id } }));
    const events = dataOf(await ws.as('admin', '{ learningEvents { events { kind actor approvedBy } } }')).learningEvents.events;
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'LEARNED_ANSWER_CREATED', actor: agent.subject }),
        expect.objectContaining({ kind: 'LEARNED_ANSWER_APPROVED', actor: boss.subject }),
      ]),
    );
  });

  it('a shared workspace agent key keeps working and is recorded as the key', async () => {
    const ws = await createTestWorkspace(env, 'Shared key');
    const { conversationId } = await handedOff(ws, 'Do you support SAML single sign-on?');
    const claimed = dataOf(await ws.as('agent', CLAIM, { input: { conversationId } })).claimConversation;
    expect(claimed.claimedBy).toMatch(/^key:[0-9a-f-]{36}$/);
    expect(claimed.claimant).toBeNull();
    const reply = dataOf(await ws.as('agent', REPLY, { input: { conversationId, text: 'Yes, on the Business plan.' } })).replyToConversation;
    expect(reply).toMatchObject({ writtenBy: claimed.claimedBy, agent: null });
    expect(codeOf(await ws.as('agent', 'mutation { setMyAvailability(input: { availability: AWAY }) { id } }'))).toBe('FORBIDDEN');
  });

  it('a role change reaches the person\'s keys at once; a deactivated person is refused, and their record stays', async () => {
    const ws = await createTestWorkspace(env, 'Lifecycle');
    const p = await person(ws, 'Edsger Dijkstra');
    expect(codeOf(await as(p.key, '{ workspace { apiKeys { id } } }'))).toBe('FORBIDDEN');
    dataOf(await ws.as('admin', 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { role } }', { input: { id: p.id, role: 'ADMIN' } }));
    expect(dataOf(await as(p.key, '{ workspace { apiKeys { agentId role } } }')).workspace.apiKeys).toEqual(expect.arrayContaining([{ agentId: p.id, role: 'ADMIN' }]));
    dataOf(await ws.as('admin', 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { role } }', { input: { id: p.id, role: 'AGENT' } }));

    const second = dataOf(await ws.as('admin', 'mutation($input: CreateAgentKeyInput!) { createAgentKey(input: $input) { secret apiKey { agentId } } }', { input: { agentId: p.id, label: 'laptop' } })).createAgentKey;
    expect(second.apiKey.agentId).toBe(p.id);
    expect(dataOf(await as(second.secret, '{ me { id } }')).me.id).toBe(p.id);

    const gone = dataOf(await ws.as('admin', 'mutation($input: AgentRef!) { deactivateAgent(input: $input) { active availability keys { revokedAt } } }', { input: { id: p.id } })).deactivateAgent;
    expect(gone.active).toBe(false);
    expect(gone.keys.every((k: any) => k.revokedAt !== null)).toBe(true);
    for (const key of [p.key, second.secret]) expect(codeOf(await as(key, '{ me { id } }'))).toBe('UNAUTHENTICATED');
    expect(dataOf(await ws.as('admin', '{ agents { id } }')).agents).toEqual([]);
    expect(dataOf(await ws.as('admin', '{ agents(filter: { includeInactive: true }) { id active } }')).agents).toEqual([{ id: p.id, active: false }]);

    dataOf(await ws.as('admin', 'mutation($input: AgentRef!) { reactivateAgent(input: $input) { active } }', { input: { id: p.id } }));
    expect(codeOf(await as(p.key, '{ me { id } }'))).toBe('UNAUTHENTICATED');
  });

  it('the last admin cannot be demoted or deactivated while no other admin key exists', async () => {
    const ws = await createTestWorkspace(env, 'Last admin');
    const boss = await person(ws, 'Frances Allen', { role: 'ADMIN' });
    const keys = dataOf(await ws.as('admin', '{ workspace { apiKeys { id role agentId } } }')).workspace.apiKeys;
    const shared = keys.find((k: any) => k.role === 'ADMIN' && k.agentId === null);
    dataOf(await as(boss.key, 'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id } }', { input: { id: shared.id } }));
    expect(codeOf(await as(boss.key, 'mutation($input: AgentRef!) { deactivateAgent(input: $input) { id } }', { input: { id: boss.id } }))).toBe('CONFLICT');
    expect(codeOf(await as(boss.key, 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { id } }', { input: { id: boss.id, role: 'AGENT' } }))).toBe('CONFLICT');
  });

  it('managing agents: roles, workspaces and bad input', async () => {
    const ws = await createTestWorkspace(env, 'Agent admin');
    const other = await createTestWorkspace(env, 'Agent admin elsewhere');
    const p = await person(ws, 'Katherine Johnson');
    const input = { name: 'Someone', email: 'someone@example.com' };
    for (const role of ['agent', 'analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, CREATE_AGENT, { input }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { id } }', { input: { id: p.id, name: 'x' } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'mutation($input: AgentRef!) { deactivateAgent(input: $input) { id } }', { input: { id: p.id } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'mutation($input: CreateAgentKeyInput!) { createAgentKey(input: $input) { secret } }', { input: { agentId: p.id } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'mutation($input: AgentRef!) { reactivateAgent(input: $input) { id } }', { input: { id: p.id } }))).toBe('FORBIDDEN');
    }
    for (const role of ['analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, '{ me { id } }'))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'mutation { setMyAvailability(input: { availability: AWAY }) { id } }'))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, '{ agents { id } }'))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'query($id: ID!) { agent(id: $id) { id } }', { id: p.id }))).toBe('FORBIDDEN');
    }
    expect(dataOf(await ws.as('agent', 'query($id: ID!) { agent(id: $id) { name } }', { id: p.id })).agent.name).toBe('Katherine Johnson');
    expect(codeOf(await as(env.operatorKey, CREATE_AGENT, { input }))).toBe('FORBIDDEN');

    // Another workspace's admin sees nothing of this person.
    expect(codeOf(await other.as('admin', 'query($id: ID!) { agent(id: $id) { id } }', { id: p.id }))).toBe('NOT_FOUND');
    expect(codeOf(await other.as('admin', 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { id } }', { input: { id: p.id, name: 'Stolen' } }))).toBe('NOT_FOUND');
    expect(codeOf(await other.as('admin', 'mutation($input: AgentRef!) { deactivateAgent(input: $input) { id } }', { input: { id: p.id } }))).toBe('NOT_FOUND');
    expect(codeOf(await other.as('admin', 'mutation($input: CreateAgentKeyInput!) { createAgentKey(input: $input) { secret } }', { input: { agentId: p.id } }))).toBe('NOT_FOUND');
    expect(codeOf(await other.as('admin', 'mutation($input: AgentRef!) { reactivateAgent(input: $input) { id } }', { input: { id: p.id } }))).toBe('NOT_FOUND');
    expect(dataOf(await other.as('admin', '{ agents { id } }')).agents).toEqual([]);
    // The same email is free in another workspace, taken in this one.
    expect(dataOf(await other.as('admin', CREATE_AGENT, { input: { name: 'K', email: `katherine.johnson@${ws.id.slice(0, 8)}.example` } })).createAgent.agent.name).toBe('K');
    expect(codeOf(await ws.as('admin', CREATE_AGENT, { input: { name: 'K', email: `KATHERINE.JOHNSON@${ws.id.slice(0, 8)}.example` } }))).toBe('CONFLICT');

    for (const bad of [
      { name: '', email: 'a@example.com' },
      { name: 'A', email: 'not an email' },
      { name: 'A', email: 'b@example.com', groups: ['Billing Team'] },
    ]) {
      expect(codeOf(await ws.as('admin', CREATE_AGENT, { input: bad }))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(await ws.as('admin', 'query($id: ID!) { agent(id: $id) { id } }', { id: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('admin', 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { id } }', { input: { id: p.id, groups: ['x'.repeat(65)] } }))).toBe('BAD_USER_INPUT');
  });
});

describe("a conversation's firsts", () => {
  it('the first reply and the first resolution carry their durations and the first question on their events; later ones do not', async () => {
    const ws = await createTestWorkspace(env, 'Firsts');
    const pool = new Pool({ connectionString: env.databaseUrl, max: 1 });
    try {
      const before = Date.now();
      const { conversationId } = await handedOff(ws, 'Can I move my invoices to another company account?');
      const REOPEN = 'mutation($input: ConversationRef!) { reopenConversation(input: $input) { status } }';
      dataOf(await ws.as('agent', REPLY, { input: { conversationId, text: 'Yes, I will do that for you.' } }));
      dataOf(await ws.as('agent', REPLY, { input: { conversationId, text: 'Done.' } }));
      dataOf(await ws.as('agent', RESOLVE, { input: { conversationId } }));
      dataOf(await ws.as('agent', REOPEN, { input: { conversationId } }));
      dataOf(await ws.as('agent', RESOLVE, { input: { conversationId } }));
      const elapsed = Date.now() - before;
      const { rows } = await pool.query<{ type: string; payload: Record<string, unknown> }>(
        `SELECT type, payload FROM conversation.outbox_events WHERE payload->>'conversationId' = $1 AND type IN ('agent_replied', 'resolved') ORDER BY position`,
        [conversationId],
      );
      expect(rows.map((row) => row.type)).toEqual(['agent_replied', 'agent_replied', 'resolved', 'resolved']);
      const [firstReply, secondReply, firstResolution, secondResolution] = rows.map((row) => row.payload);
      const started = Date.parse(String(firstReply!.conversationStartedAt));
      expect(started).toBeGreaterThanOrEqual(before - 1_000);
      expect(firstReply).toMatchObject({ firstTopic: expect.any(String), firstPlan: '', firstPage: '', firstChannel: '' });
      expect(firstReply!.firstResponseMs).toEqual(expect.any(Number));
      expect(firstReply!.firstResponseMs as number).toBeGreaterThanOrEqual(0);
      expect(firstReply!.firstResponseMs as number).toBeLessThanOrEqual(elapsed);
      expect(firstResolution!.conversationStartedAt).toBe(firstReply!.conversationStartedAt);
      expect(firstResolution!.resolutionMs as number).toBeGreaterThanOrEqual(firstReply!.firstResponseMs as number);
      expect(firstResolution!.resolutionMs as number).toBeLessThanOrEqual(elapsed);
      for (const later of [secondReply!, secondResolution!]) {
        expect(later).not.toHaveProperty('conversationStartedAt');
        expect(later).not.toHaveProperty('firstResponseMs');
        expect(later).not.toHaveProperty('resolutionMs');
      }
    } finally {
      await pool.end();
    }
  });
});

describe('claims mean something', () => {
  it('while claimed, another agent may not reply, correct or resolve (CONFLICT naming the holder); an admin may', async () => {
    const ws = await createTestWorkspace(env, 'Claims');
    const ada = await person(ws, 'Ada Byron');
    const bob = await person(ws, 'Bob Kahn');
    const { conversationId, messageId } = await handedOff(ws, 'Can I change the billing email?');
    dataOf(await as(ada.key, CLAIM, { input: { conversationId } }));

    const attempts = [
      await as(bob.key, REPLY, { input: { conversationId, text: 'Hi!' } }),
      await as(bob.key, CORRECT, { input: { messageId, correctedText: 'Yes, in Billing.' } }),
      await as(bob.key, RESOLVE, { input: { conversationId } }),
      await as(bob.key, CLAIM, { input: { conversationId } }),
      await ws.as('agent', REPLY, { input: { conversationId, text: 'Hi from the shared key' } }),
    ];
    for (const attempt of attempts) {
      expect(codeOf(attempt)).toBe('CONFLICT');
      expect(attempt.errors?.[0]?.message).toContain(`Ada Byron (${ada.subject})`);
    }
    expect(attempts[0]!.errors?.[0]?.extensions?.details).toEqual({ claimedBy: ada.subject });
    // Nothing was written by the refused attempts.
    const transcript = dataOf(await ws.as('admin', 'query($id: ID!) { conversation(id: $id) { status messages { author } } }', { id: conversationId })).conversation;
    expect(transcript).toEqual({ status: 'HANDED_OFF', messages: [{ author: 'CUSTOMER' }, { author: 'AI' }] });

    // The holder and an admin may.
    expect(dataOf(await as(ada.key, REPLY, { input: { conversationId, text: 'On it.' } })).replyToConversation.writtenBy).toBe(ada.subject);
    expect(dataOf(await ws.as('admin', REPLY, { input: { conversationId, text: 'Admin here.' } })).replyToConversation.author).toBe('AGENT');
    expect(dataOf(await ws.as('admin', RESOLVE, { input: { conversationId } })).resolveConversation.status).toBe('RESOLVED');
  });

  it('unclaim: the holder or an admin; reassign to a person or a group; the workflow follows', async () => {
    const ws = await createTestWorkspace(env, 'Reassign');
    const ada = await person(ws, 'Ada Yonath');
    const bob = await person(ws, 'Bob Metcalfe', { groups: ['billing'] });
    const { conversationId, messageId } = await handedOff(ws, 'Why was I charged twice this month?');
    dataOf(await as(ada.key, CLAIM, { input: { conversationId } }));

    expect(codeOf(await as(bob.key, UNCLAIM, { input: { conversationId } }))).toBe('CONFLICT');
    expect(codeOf(await as(bob.key, REASSIGN, { input: { conversationId, agentId: bob.id } }))).toBe('CONFLICT');

    // The holder hands it to Bob: Bob holds it now, Ada may no longer reply, and the workflow knows.
    const toBob = dataOf(await as(ada.key, REASSIGN, { input: { conversationId, agentId: bob.id } })).reassignConversation;
    expect(toBob).toEqual({ claimedBy: bob.subject, claimant: { id: bob.id, name: 'Bob Metcalfe' }, assignedGroup: null });
    expect((await eventually(() => stateOf(conversationId), (s) => s.assignee === bob.subject)).assignee).toBe(bob.subject);
    const refused = await as(ada.key, REPLY, { input: { conversationId, text: 'Me again' } });
    expect(codeOf(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain('Bob Metcalfe');

    // Bob gives it back to the queue; the workflow's assignee is cleared.
    expect(dataOf(await as(bob.key, UNCLAIM, { input: { conversationId } })).unclaimConversation).toEqual({ claimedBy: null, claimant: null, assignedGroup: null });
    expect((await eventually(() => stateOf(conversationId), (s) => s.assignee === null)).assignee).toBeNull();
    expect(codeOf(await as(bob.key, UNCLAIM, { input: { conversationId } }))).toBe('CONFLICT');

    // Unclaimed: any agent may route it to a group, which the inbox filters on.
    const toGroup = dataOf(await as(ada.key, REASSIGN, { input: { conversationId, group: 'billing' } })).reassignConversation;
    expect(toGroup).toEqual({ claimedBy: null, claimant: null, assignedGroup: 'billing' });
    const inbox = dataOf(await as(bob.key, '{ inbox(filter: { group: "billing" }) { edges { node { id assignedGroup } } } }')).inbox.edges;
    expect(inbox.map((e: any) => e.node.id)).toEqual([conversationId]);
    expect(dataOf(await as(bob.key, '{ inbox(filter: { group: "sales" }) { edges { node { id } } } }')).inbox.edges).toEqual([]);

    // An admin may take a claim away from its holder.
    dataOf(await as(bob.key, CLAIM, { input: { conversationId } }));
    expect(dataOf(await ws.as('admin', REASSIGN, { input: { conversationId, agentId: ada.id } })).reassignConversation.claimedBy).toBe(ada.subject);
    expect(dataOf(await as(ada.key, CORRECT, { input: { messageId, correctedText: 'A refund for the second charge is on its way.' } })).correctAnswer.message.writtenBy).toBe(ada.subject);

    const steps = dataOf(await ws.as('agent', CONVERSATION, { id: conversationId })).conversation;
    expect(steps.assignedGroup).toBe('billing');
  });

  it("a deactivated person's claim binds no one: another agent takes the conversation over and answers it", async () => {
    const ws = await createTestWorkspace(env, 'Claims of the departed');
    const carol = await person(ws, 'Carol Leaving');
    const ada = await person(ws, 'Ada Staying');
    const { conversationId } = await handedOff(ws, 'Can I move my invoices to another account?');
    dataOf(await as(carol.key, CLAIM, { input: { conversationId } }));
    // While Carol is active, her claim holds.
    const refused = await as(ada.key, CLAIM, { input: { conversationId } });
    expect(codeOf(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain('Carol Leaving');
    expect(codeOf(await as(ada.key, REPLY, { input: { conversationId, text: 'Yes, from Billing.' } }))).toBe('CONFLICT');
    dataOf(await ws.as('admin', 'mutation($input: AgentRef!) { deactivateAgent(input: $input) { id } }', { input: { id: carol.id } }));
    // Gone, she can neither act nor unclaim; Ada takes it over and answers.
    expect(dataOf(await as(ada.key, CLAIM, { input: { conversationId } })).claimConversation).toMatchObject({ claimedBy: ada.subject, claimant: { name: 'Ada Staying' } });
    expect(dataOf(await as(ada.key, REPLY, { input: { conversationId, text: 'Yes: Billing > Invoices > Move.' } })).replyToConversation).toMatchObject({ author: 'AGENT', writtenBy: ada.subject });
    // Resolved, the case keeps who handled it: no unclaim (as no claim or reassignment) until it is reopened.
    dataOf(await as(ada.key, 'mutation($input: ConversationRef!) { resolveConversation(input: $input) { status } }', { input: { conversationId } }));
    const kept = await as(ada.key, UNCLAIM, { input: { conversationId } });
    expect(codeOf(kept)).toBe('CONFLICT');
    expect(kept.errors?.[0]?.message).toMatch(/reopen it first/);
    expect(dataOf(await ws.as('agent', 'query($id: ID!) { conversation(id: $id) { claimedBy } }', { id: conversationId })).conversation.claimedBy).toBe(ada.subject);
  });

  it('unclaim and reassign: roles, workspaces and bad input', async () => {
    const ws = await createTestWorkspace(env, 'Reassign rules');
    const other = await createTestWorkspace(env, 'Reassign elsewhere');
    const stranger = await person(other, 'Stranger');
    const ada = await person(ws, 'Ada Palmer', { groups: ['support'] });
    const gone = await person(ws, 'Gone Person');
    dataOf(await ws.as('admin', 'mutation($input: AgentRef!) { deactivateAgent(input: $input) { id } }', { input: { id: gone.id } }));
    const { conversationId } = await handedOff(ws, 'How do I rotate my API token?');

    for (const role of ['analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, UNCLAIM, { input: { conversationId } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, REASSIGN, { input: { conversationId, agentId: ada.id } }))).toBe('FORBIDDEN');
    }
    // Another workspace's agent cannot touch it, nor be given it.
    expect(codeOf(await as(stranger.key, UNCLAIM, { input: { conversationId } }))).toBe('NOT_FOUND');
    expect(codeOf(await as(stranger.key, REASSIGN, { input: { conversationId, agentId: stranger.id } }))).toBe('NOT_FOUND');
    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId, agentId: stranger.id } }))).toBe('NOT_FOUND');

    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId, agentId: ada.id, group: 'support' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId, group: 'Not A Group' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId, group: 'nobody-here' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId: 'x', group: 'support' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(ada.key, REASSIGN, { input: { conversationId, agentId: gone.id } }))).toBe('CONFLICT');
    expect(codeOf(await as(ada.key, UNCLAIM, { input: { conversationId } }))).toBe('CONFLICT');
    // None of the refusals changed anything.
    expect(dataOf(await ws.as('agent', CONVERSATION, { id: conversationId })).conversation).toMatchObject({ claimedBy: null, assignedGroup: null });
  });

  it("at the first-response breach the escalation workflow releases the silent agent's claim through the desk", async () => {
    const ws = await createTestWorkspace(env, 'Breach');
    dataOf(await ws.as('admin', 'mutation { updateEscalationSettings(input: { firstResponseMs: 1500, reminderBeforeMs: 1000, resolutionMs: 600000 }) { firstResponseMs } }'));
    const ada = await person(ws, 'Ada Silent', { groups: ['billing'] });
    const { conversationId } = await handedOff(ws, 'Can I get a refund for last year?');
    dataOf(await as(ada.key, REASSIGN, { input: { conversationId, group: 'billing' } }));
    dataOf(await as(ada.key, CLAIM, { input: { conversationId } }));
    const breached = await eventually(() => ws.as('agent', CONVERSATION, { id: conversationId }).then((r) => dataOf(r).conversation), (c: any) => c.escalationSteps.some((s: any) => s.kind === 'reassigned'), 20_000);
    expect(breached.escalationSteps.map((s: any) => s.kind)).toEqual(['offered', 'reminded', 'reassigned']);
    expect(breached.escalationSteps[2].detail).toEqual({ sla: 'first_response', from: ada.subject, via: 'unclaim' });
    // Back to the queue of its group, with nobody holding it.
    expect(breached).toMatchObject({ claimedBy: null, claimant: null, assignedGroup: 'billing' });
    expect(await stateOf(conversationId)).toMatchObject({ assignee: null, reassignments: 1 });
  });
});

const UPSERT_ACCOUNT = 'mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }';
const UPSERT_CUSTOMER = 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }';
const HISTORY = 'query($id: ID!, $first: Int, $after: String) { customer(id: $id) { conversations(first: $first, after: $after) { edges { cursor node { id outcome } } pageInfo { hasNextPage endCursor } } } }';
const ACCOUNT_HISTORY = 'query($id: ID!, $first: Int, $after: String) { account(id: $id) { conversations(first: $first, after: $after) { edges { node { id outcome customer { id } } } pageInfo { hasNextPage endCursor } } } }';

/** A customer of an account, signed in through the widget with their own token. */
async function customerOf(ws: TestWorkspace, externalId: string, accountExternalId: string) {
  const id = dataOf(await ws.as('admin', UPSERT_CUSTOMER, { input: { externalId, name: externalId, accountExternalId } })).upsertCustomer.id as string;
  const token = await customerToken(ws.customerTokenSecret, externalId);
  const ask = async (text: string) => dataOf(await ws.as('widget', ASK, { input: { text } }, token)).ask as { decision: string; conversation: { id: string }; message: { id: string } };
  return { id, token, ask };
}

describe('customer history', () => {
  it('a hand-off the customer closed before any agent wrote is not counted as resolved by an agent', async () => {
    const ws = await createTestWorkspace(env, 'History outcomes');
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'initech', name: 'Initech', plan: 'business' } }));
    const erin = await customerOf(ws, 'erin', 'initech');
    const RESOLVED_BY_CUSTOMER = 'mutation($input: ConversationRef!) { markResolved(input: $input) { status outcome } }';
    const RESOLVE = 'mutation($input: ConversationRef!) { resolveConversation(input: $input) { outcome } }';
    const REPLY = 'mutation($input: ReplyInput!) { replyToConversation(input: $input) { id } }';
    // Erin gives up waiting and closes it herself.
    const waited = await erin.ask('Can I export my invoices as a single PDF?');
    expect(waited.decision).toBe('HANDED_OFF');
    const closed = dataOf(await ws.as('widget', RESOLVED_BY_CUSTOMER, { input: { conversationId: waited.conversation.id } }, erin.token)).markResolved;
    expect(closed).toEqual({ status: 'RESOLVED', outcome: 'RESOLVED_WITHOUT_REPLY' });
    // An agent answers the next one, then resolves it.
    const answered = await erin.ask('Why was my card declined at checkout?');
    expect(answered.decision).toBe('HANDED_OFF');
    dataOf(await ws.as('agent', REPLY, { input: { conversationId: answered.conversation.id, text: 'Your bank declined it: try again or use another card.' } }));
    expect(dataOf(await ws.as('agent', RESOLVE, { input: { conversationId: answered.conversation.id } })).resolveConversation.outcome).toBe('RESOLVED_BY_AGENT');
    const history = dataOf(await ws.as('agent', HISTORY, { id: erin.id, first: 10 })).customer.conversations.edges.map((e: any) => e.node);
    expect(history).toEqual([
      { id: answered.conversation.id, outcome: 'RESOLVED_BY_AGENT' },
      { id: waited.conversation.id, outcome: 'RESOLVED_WITHOUT_REPLY' },
    ]);
  });

  it("a customer's and an account's earlier conversations, newest first, with outcomes, paged", async () => {
    const ws = await createTestWorkspace(env, 'History');
    const other = await createTestWorkspace(env, 'History elsewhere');
    const account = dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'acme', name: 'Acme', plan: 'business' } })).upsertAccount.id as string;
    const carol = await customerOf(ws, 'carol', 'acme');
    const dave = await customerOf(ws, 'dave', 'acme');

    // Taught once, the question reworded is answered by the AI and Carol resolves it herself.
    const first = await carol.ask('Can I export my invoices as a single PDF?');
    expect(first.decision).toBe('HANDED_OFF');
    dataOf(await ws.as('agent', CORRECT, { input: { messageId: first.message.id, correctedText: 'Yes: in Billing > Invoices select the invoices and choose Download as one PDF.' } }));
    dataOf(await ws.as('agent', RESOLVE, { input: { conversationId: first.conversation.id } }));
    const second = await carol.ask('can I export my invoices as a single PDF please');
    expect(second.decision).toBe('ANSWERED');
    dataOf(await ws.as('widget', 'mutation($input: ConversationRef!) { markResolved(input: $input) { status } }', { input: { conversationId: second.conversation.id } }, carol.token));
    const third = await carol.ask('Why is my card declined?');
    dataOf(await ws.as('agent', CLAIM, { input: { conversationId: third.conversation.id } }));
    const fourth = await carol.ask('Where do I change my password?');
    const daves = await dave.ask('How do I add a teammate?');

    const page1 = dataOf(await ws.as('agent', HISTORY, { id: carol.id, first: 3 })).customer.conversations;
    expect(page1.edges.map((e: any) => e.node)).toEqual([
      { id: fourth.conversation.id, outcome: 'WAITING_FOR_AGENT' },
      { id: third.conversation.id, outcome: 'WITH_AGENT' },
      { id: second.conversation.id, outcome: 'RESOLVED_BY_AI' },
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = dataOf(await ws.as('agent', HISTORY, { id: carol.id, first: 3, after: page1.pageInfo.endCursor })).customer.conversations;
    expect(page2.edges.map((e: any) => e.node)).toEqual([{ id: first.conversation.id, outcome: 'RESOLVED_BY_AGENT' }]);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0].cursor });

    // The account: both customers' conversations; from a conversation, the customer's history too.
    const accountPage = dataOf(await ws.as('admin', ACCOUNT_HISTORY, { id: account, first: 10 })).account.conversations;
    expect(accountPage.edges.map((e: any) => e.node.id)).toEqual([daves.conversation.id, fourth.conversation.id, third.conversation.id, second.conversation.id, first.conversation.id]);
    expect(accountPage.edges[0].node.customer.id).toBe(dave.id);
    const viaConversation = dataOf(await ws.as('agent', 'query($id: ID!) { conversation(id: $id) { customer { name conversations(first: 1) { edges { node { id } } } } } }', { id: daves.conversation.id })).conversation;
    expect(viaConversation.customer).toEqual({ name: 'dave', conversations: { edges: [{ node: { id: daves.conversation.id } }] } });
    const emptyAccount = dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'empty', name: 'Empty' } })).upsertAccount.id;
    expect(dataOf(await ws.as('agent', ACCOUNT_HISTORY, { id: emptyAccount })).account.conversations).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });

    // Roles: histories are for agents; analysts and widgets are refused.
    for (const role of ['analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, ACCOUNT_HISTORY, { id: account }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, 'query($id: ID!) { conversation(id: $id) { customer { conversations { edges { node { id } } } } } }', { id: daves.conversation.id }, role === 'widget' ? await customerToken(ws.customerTokenSecret, 'dave') : undefined))).toBe('FORBIDDEN');
    }
    // Another workspace cannot reach them.
    expect(codeOf(await other.as('agent', HISTORY, { id: carol.id }))).toBe('NOT_FOUND');
    expect(codeOf(await other.as('agent', ACCOUNT_HISTORY, { id: account }))).toBe('NOT_FOUND');
    // Bad paging input.
    expect(codeOf(await ws.as('agent', HISTORY, { id: carol.id, first: 0 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('agent', HISTORY, { id: carol.id, first: 101 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('agent', HISTORY, { id: carol.id, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
  });
});

const SEARCH = `query($input: SearchInboxInput!) { searchInbox(input: $input) { edges { cursor node { id sla { dueAt state } } } pageInfo { hasNextPage endCursor } } }`;

describe('inbox search', () => {
  it('finds conversations by their words and filters, sorted by when their SLA falls due', async () => {
    const ws = await createTestWorkspace(env, 'Search');
    const other = await createTestWorkspace(env, 'Search elsewhere');
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'bigco', name: 'BigCo', plan: 'enterprise' } }));
    const erin = await customerOf(ws, 'erin', 'bigco');
    const ada = await person(ws, 'Ada Search');
    const search = async (input: Record<string, unknown>, key = ada.key) => dataOf(await as(key, SEARCH, { input })).searchInbox;
    const ids = (page: any) => page.edges.map((e: any) => e.node.id);

    const a = (await erin.ask('I was charged twice for my subscription and want a refund')).conversation.id;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const b = (await handedOff(ws, 'Single sign-on login is broken for our team')).conversationId;
    dataOf(await other.as('widget', ASK, { input: { text: 'I want a refund for the double charge' } }));

    // Words from the question (stemmed: "charge" finds "charged"), and from agents' replies.
    expect(ids(await search({ text: 'refund charge' }))).toEqual([a]);
    expect(ids(await search({ text: 'login' }))).toEqual([b]);
    dataOf(await as(ada.key, CLAIM, { input: { conversationId: b } }));
    dataOf(await as(ada.key, REPLY, { input: { conversationId: b, text: 'We are resetting your identity provider certificate.' } }));
    expect(ids(await search({ text: 'certificate' }))).toEqual([b]);
    expect(ids(await search({ text: 'nothing-like-this' }))).toEqual([]);

    // Filters: claimed by me, by anyone, by nobody; plan; waiting since; status.
    expect(ids(await search({ claimedBy: 'ME' }))).toEqual([b]);
    expect(ids(await search({ claimedBy: 'ME' }, (await person(ws, 'Bob Search')).key))).toEqual([]);
    expect(ids(await search({ claimedBy: 'ANYONE' }))).toEqual([b]);
    expect(ids(await search({ claimedBy: 'NOBODY' }))).toEqual([a]);
    expect(ids(await search({ plan: 'enterprise' }))).toEqual([a]);
    expect(ids(await search({ waitingSinceBefore: between }))).toEqual([a]);
    expect(ids(await search({ waitingSinceAfter: between }))).toEqual([b]);
    expect(ids(await search({ statuses: ['RESOLVED'] }))).toEqual([]);

    // SLA: b got its first response, so its next due is the resolution SLA; a's first response comes first.
    const sorted = await search({});
    expect(ids(sorted)).toEqual([a, b]);
    expect(sorted.edges.map((e: any) => e.node.sla.state)).toEqual(['ON_TRACK', 'ON_TRACK']);
    // With a one-second first-response SLA a is breached, b (answered) is not; with a reminder lead of an hour, b is due soon.
    dataOf(await ws.as('admin', 'mutation { updateEscalationSettings(input: { firstResponseMs: 1000, resolutionMs: 3000000, reminderBeforeMs: 3600000 }) { firstResponseMs } }'));
    expect(ids(await eventually(() => search({ slaStates: ['BREACHED'] }), (page) => page.edges.length > 0))).toEqual([a]);
    expect(ids(await search({ slaStates: ['DUE_SOON'] }))).toEqual([b]);
    expect(dataOf(await as(ada.key, 'query($id: ID!) { conversation(id: $id) { sla { state dueAt } } }', { id: a })).conversation.sla.state).toBe('BREACHED');

    // Paging keeps the order.
    const one = await search({ first: 1 });
    expect(ids(one)).toEqual([a]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = await search({ first: 1, after: one.pageInfo.endCursor });
    expect(ids(two)).toEqual([b]);
    expect(two.pageInfo.hasNextPage).toBe(false);
    // A cursor of one list is refused by the other (both are a time and an id; read across, they paged from the wrong place).
    const INBOX_PAGE = 'query($filter: InboxFilter) { inbox(filter: $filter) { pageInfo { endCursor } } }';
    expect(codeOf(await as(ada.key, INBOX_PAGE, { filter: { first: 1, after: one.pageInfo.endCursor } }))).toBe('BAD_USER_INPUT');
    const inboxCursor = dataOf(await as(ada.key, INBOX_PAGE, { filter: { first: 1 } })).inbox.pageInfo.endCursor;
    expect(inboxCursor).toEqual(expect.any(String));
    expect(codeOf(await as(ada.key, SEARCH, { input: { first: 1, after: inboxCursor } }))).toBe('BAD_USER_INPUT');

    // Roles, workspaces, bad input.
    for (const role of ['analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, SEARCH, { input: {} }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await ws.as('analyst', 'query($id: ID!) { conversation(id: $id) { sla { state } } }', { id: b }))).toBe('FORBIDDEN');
    expect(ids(dataOf(await other.as('agent', SEARCH, { input: { text: 'refund' } })).searchInbox)).toHaveLength(1);
    expect(ids(dataOf(await other.as('agent', SEARCH, { input: { text: 'login' } })).searchInbox)).toEqual([]);
    for (const bad of [{ text: '   ' }, { first: 0 }, { after: 'garbage' }, { group: 'Not A Group' }, { waitingSinceBefore: between, waitingSinceAfter: new Date().toISOString() }, { text: 'x'.repeat(201) }]) {
      expect(codeOf(await as(ada.key, SEARCH, { input: bad }))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('inbox search by language', () => {
  it("filters hand-offs by the customer's language as detected, in the search and in the inbox list", async () => {
    const ws = await createTestWorkspace(env, 'Inbox languages');
    const other = await createTestWorkspace(env, 'Inbox languages elsewhere');
    const spanish = (await handedOff(ws, 'Me cobraron dos veces la suscripción y quiero un reembolso')).conversationId;
    const german = (await handedOff(ws, 'Wie lange dauert eine Rückerstattung auf meine Karte?')).conversationId;
    const english = (await handedOff(ws, 'I was charged twice for my subscription and want a refund')).conversationId;
    const ids = async (input: Record<string, unknown>, who: TestWorkspace = ws) => dataOf(await who.as('agent', SEARCH, { input })).searchInbox.edges.map((e: any) => e.node.id);

    expect(await ids({ language: 'es' })).toEqual([spanish]);
    expect(await ids({ language: 'de' })).toEqual([german]);
    expect(await ids({ language: 'en' })).toEqual([english]);
    expect(await ids({ language: 'fr' })).toEqual([]);
    expect((await ids({})).sort()).toEqual([spanish, german, english].sort());
    expect(await ids({ language: 'es' }, other)).toEqual([]);
    for (const language of ['Spanish', 'ES', 'e']) expect(codeOf(await ws.as('agent', SEARCH, { input: { language } }))).toBe('BAD_USER_INPUT');
    // The plain inbox list filters the same way.
    const INBOX = 'query($filter: InboxFilter) { inbox(filter: $filter) { edges { node { id language } } } }';
    expect(dataOf(await ws.as('agent', INBOX, { filter: { language: 'es' } })).inbox.edges.map((e: any) => e.node)).toEqual([{ id: spanish, language: 'es' }]);
    expect(codeOf(await ws.as('agent', INBOX, { filter: { language: 'Spanish' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('analyst', INBOX, { filter: { language: 'es' } }))).toBe('FORBIDDEN');
  });
});

const HAND_OFF = `query($id: ID!) { conversation(id: $id) { handOff { reason explanation confidence threshold candidate { id } page message { id } askerContext { plan billingState segments openBugs { title } } } } }`;

describe('the conversation view', () => {
  it('shows the account context the AI used, the candidate it almost chose and why it handed off', async () => {
    const ws = await createTestWorkspace(env, 'View');
    const other = await createTestWorkspace(env, 'View elsewhere');
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'late', name: 'Late Payers', plan: 'team', billingState: 'PAST_DUE', segments: ['smb'] } }));
    const frank = await customerOf(ws, 'frank', 'late');
    const article = dataOf(await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
      input: { title: 'Updating your payment card', body: 'Open Billing > Payment method and enter the new card. Past-due invoices are retried within a day.' },
    })).createArticle.id;

    const text = 'my payment card expired and the invoice failed, what now?';
    const asked = dataOf(await ws.as('widget', `mutation($input: AskInput!) { ask(input: $input) { decision handOffReason confidence conversation { id } message { id } } }`, { input: { text, page: '/billing/invoices' } }, frank.token)).ask;
    expect(asked.decision).toBe('HANDED_OFF');
    const view = dataOf(await ws.as('agent', HAND_OFF, { id: asked.conversation.id })).conversation.handOff;
    expect(view).toMatchObject({
      reason: asked.handOffReason,
      message: { id: asked.message.id },
      page: '/billing/invoices',
      askerContext: { plan: 'team', billingState: 'PAST_DUE', segments: ['smb'], openBugs: [] },
    });
    expect(view.confidence).toBeCloseTo(asked.confidence, 5);
    expect(view.candidate).toEqual({ id: article });
    expect(typeof view.threshold).toBe('number');
    if (asked.handOffReason === 'LOW_CONFIDENCE') expect(view.explanation).toContain(`threshold ${view.threshold.toFixed(2)}`);
    expect(view.explanation.length).toBeGreaterThan(10);

    // A visitor's question nothing matches: no candidate, no account context, and the reason in words.
    const anonymous = dataOf(await ws.as('widget', ASK, { input: { text: 'qwerty zxcvb plugh' } })).ask;
    const bare = dataOf(await ws.as('agent', HAND_OFF, { id: anonymous.conversation.id })).conversation.handOff;
    expect(bare).toMatchObject({ reason: 'NO_KNOWLEDGE', explanation: 'No knowledge the asker may see matched the question', candidate: null, askerContext: null });

    // The customer asked for a person after an answer-less turn: the reason is theirs.
    const asks = dataOf(await ws.as('widget', ASK, { input: { text: 'I want to talk to a human please' } }, frank.token)).ask;
    expect(dataOf(await ws.as('agent', HAND_OFF, { id: asks.conversation.id })).conversation.handOff).toMatchObject({ reason: 'CUSTOMER_ASKED', explanation: 'The customer asked for a person' });

    // The customer sees who helps them, by name only.
    const grace = await person(ws, 'Grace View');
    dataOf(await as(grace.key, CLAIM, { input: { conversationId: asked.conversation.id } }));
    const claimantQuery = (fields: string) => ws.as('widget', `query($id: ID!) { conversation(id: $id) { claimant { ${fields} } } }`, { id: asked.conversation.id }, frank.token);
    expect(dataOf(await claimantQuery('name')).conversation.claimant).toEqual({ name: 'Grace View' });
    for (const field of ['email', 'role', 'groups', 'availability', 'subject', 'active', 'createdAt']) {
      expect({ field, code: codeOf(await claimantQuery(`name ${field}`)) }).toEqual({ field, code: 'FORBIDDEN' });
    }

    // Roles and workspaces.
    expect(codeOf(await ws.as('analyst', HAND_OFF, { id: asked.conversation.id }))).toBe('FORBIDDEN');
    expect(codeOf(await ws.as('widget', HAND_OFF, { id: asked.conversation.id }, frank.token))).toBe('FORBIDDEN');
    expect(codeOf(await other.as('agent', HAND_OFF, { id: asked.conversation.id }))).toBe('NOT_FOUND');
    expect(codeOf(await ws.as('agent', HAND_OFF, { id: 'nope' }))).toBe('BAD_USER_INPUT');
  });
});

/** A counter on a process's /metrics (0 before its first increment), by name and labels. */
async function counterOn(process: 'conversation' | 'account-context', name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(env.stack.metricsUrls[process])).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([label, value]) => l.includes(`${label}="${value}"`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe("the asker's account context", () => {
  it('asks in a row call account-context once; a plan change made there reaches the next ask', async () => {
    const ws = await createTestWorkspace(env, 'Context cache');
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'switcher', name: 'Switcher', plan: 'team' } }));
    const hana = await customerOf(ws, 'hana', 'switcher');
    // A question nothing answers hands off, and the conversation view shows the context the AI used.
    const planOfNextAsk = async () => {
      const asked = await hana.ask('qwerty zxcvb plugh');
      return dataOf(await ws.as('agent', HAND_OFF, { id: asked.conversation.id })).conversation.handOff.askerContext.plan as string;
    };
    const calls = async () => ({
      accountContext: await counterOn('account-context', 'loopdesk_graphql_requests_total', { operation: 'query:questionContext', outcome: 'ok' }),
      hits: await counterOn('conversation', 'loopdesk_asker_context_cache_total', { result: 'hit' }),
      misses: await counterOn('conversation', 'loopdesk_asker_context_cache_total', { result: 'miss' }),
    });

    const before = await calls();
    expect(await planOfNextAsk()).toBe('team');
    expect(await planOfNextAsk()).toBe('team');
    expect(await calls()).toEqual({ accountContext: before.accountContext + 1, hits: before.hits + 1, misses: before.misses + 1 });

    // Well within the cache's 30 s: account-context's change evicts the workspace's contexts when it commits.
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'switcher', name: 'Switcher', plan: 'enterprise' } }));
    expect(await planOfNextAsk()).toBe('enterprise');
    expect(await calls()).toEqual({ accountContext: before.accountContext + 2, hits: before.hits + 1, misses: before.misses + 2 });
  });
});

const RATE_CONVERSATION = 'mutation($input: RateConversationInput!) { rateConversation(input: $input) { id csat { score comment ratedAt } } }';
const SURVEY = '{ satisfactionSurvey { question scores { score label } } }';
const SATISFACTION_SETTINGS = '{ satisfactionSettings { csatQuestion csatLabels dropOffWindowMs } }';
const UPDATE_SATISFACTION = 'mutation($input: UpdateSatisfactionSettingsInput!) { updateSatisfactionSettings(input: $input) { csatQuestion csatLabels dropOffWindowMs } }';
const CSAT_METRICS = `query($input: SupportMetricsInput!) { workspace { support(input: $input) {
  totals { csatResponses csatScores csatAverage csatSatisfied } buckets { csatResponses } csatByTopic { topic responses average satisfied scores } } } }`;
const MARK_RESOLVED = 'mutation($input: ConversationRef!) { markResolved(input: $input) { status } }';

/** A question taught once (hand-off, correction), so that its rewording is answered by the AI from the learned answer. */
async function taught(ws: TestWorkspace, question: string, answer: string): Promise<string> {
  const first = dataOf(await ws.as('widget', ASK, { input: { text: question } })).ask;
  expect(first.decision).toBe('HANDED_OFF');
  const learned = dataOf(await ws.as('agent', CORRECT, { input: { messageId: first.message.id, correctedText: answer } })).correctAnswer.learnedAnswer.id as string;
  dataOf(await ws.as('agent', RESOLVE, { input: { conversationId: first.conversation.id } }));
  return learned;
}

const range = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });

describe('satisfaction after resolution (CSAT)', () => {
  it('a customer scores a resolved conversation 1–5 once, in the words the workspace chose; it shows in the metrics and the weekly report by topic', async () => {
    const ws = await createTestWorkspace(env, 'CSAT');
    const other = await createTestWorkspace(env, 'CSAT elsewhere');
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'csat-co', name: 'CSAT Co' } }));
    const hana = await customerOf(ws, 'hana', 'csat-co');
    const ivan = await customerOf(ws, 'ivan', 'csat-co');

    // Wording: the defaults, then the workspace's own; the widget reads it to show the survey.
    expect(dataOf(await ws.as('widget', SURVEY)).satisfactionSurvey.scores).toHaveLength(5);
    const labels = ['Awful', 'Poor', 'Okay', 'Good', 'Great'];
    expect(dataOf(await ws.as('admin', UPDATE_SATISFACTION, { input: { csatQuestion: 'How did we do?', csatLabels: labels } })).updateSatisfactionSettings).toMatchObject({ csatQuestion: 'How did we do?', csatLabels: labels });
    expect(dataOf(await ws.as('widget', SURVEY)).satisfactionSurvey).toEqual({ question: 'How did we do?', scores: labels.map((label, i) => ({ score: i + 1, label })) });
    expect(dataOf(await other.as('widget', SURVEY)).satisfactionSurvey.question).not.toBe('How did we do?');

    // Two resolved conversations (one resolved by an agent, one by the customer) and one still open.
    const byAgent = await hana.ask('My invoice shows the wrong company address');
    dataOf(await ws.as('agent', RESOLVE, { input: { conversationId: byAgent.conversation.id } }));
    const byCustomer = await ivan.ask('How do I download last month invoice?');
    dataOf(await ws.as('widget', MARK_RESOLVED, { input: { conversationId: byCustomer.conversation.id } }, ivan.token));
    const open = await hana.ask('Can I change my billing email?');

    const rated = dataOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: byAgent.conversation.id, score: 5, comment: '  Quick and kind  ' } }, hana.token)).rateConversation;
    expect(rated.csat).toMatchObject({ score: 5, comment: 'Quick and kind', ratedAt: expect.any(String) });
    dataOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: byCustomer.conversation.id, score: 2 } }, ivan.token));
    expect(dataOf(await ws.as('agent', 'query($id: ID!) { conversation(id: $id) { csat { score comment } } }', { id: byAgent.conversation.id })).conversation.csat).toEqual({ score: 5, comment: 'Quick and kind' });

    // Once per conversation; only after resolution; only 1 to 5; only the conversation's own customer.
    expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: byAgent.conversation.id, score: 1 } }, hana.token))).toBe('CONFLICT');
    expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: open.conversation.id, score: 4 } }, hana.token))).toBe('BAD_USER_INPUT');
    for (const score of [0, 6]) expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: byCustomer.conversation.id, score } }, ivan.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: 'nope', score: 3 } }, ivan.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: byCustomer.conversation.id, score: 3, comment: 'x'.repeat(2001) } }, ivan.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: open.conversation.id, score: 3 } }, ivan.token))).toBe('NOT_FOUND');
    // An anonymous visitor needs the conversation's secret.
    const visitor = dataOf(await ws.as('widget', 'mutation($input: AskInput!) { ask(input: $input) { conversationSecret conversation { id } } }', { input: { text: 'Where is the refund policy?' } })).ask;
    dataOf(await ws.as('agent', RESOLVE, { input: { conversationId: visitor.conversation.id } }));
    expect(codeOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: visitor.conversation.id, score: 4 } }))).toBe('NOT_FOUND');
    dataOf(await ws.as('widget', RATE_CONVERSATION, { input: { conversationId: visitor.conversation.id, score: 4, conversationSecret: visitor.conversationSecret } }));

    // Roles: customers rate; staff do not. Settings are the admin's; the survey's wording is readable by the desk.
    for (const role of ['agent', 'analyst', 'admin'] as const) {
      expect(codeOf(await ws.as(role, RATE_CONVERSATION, { input: { conversationId: byCustomer.conversation.id, score: 3 } }))).toBe('FORBIDDEN');
    }
    for (const role of ['agent', 'analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, SATISFACTION_SETTINGS))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, UPDATE_SATISFACTION, { input: { csatQuestion: 'Hijacked?' } }))).toBe('FORBIDDEN');
    }
    expect(dataOf(await ws.as('agent', SURVEY)).satisfactionSurvey.question).toBe('How did we do?');
    // Another workspace reaches neither the conversation nor the settings.
    expect(codeOf(await other.as('widget', RATE_CONVERSATION, { input: { conversationId: byCustomer.conversation.id, score: 1 } }))).toBe('NOT_FOUND');
    expect(dataOf(await other.as('admin', SATISFACTION_SETTINGS)).satisfactionSettings.csatQuestion).not.toBe('How did we do?');
    // Bad settings.
    for (const input of [{ csatLabels: ['a', 'b', 'c', 'd'] }, { csatLabels: ['a', 'b', 'c', 'd', ' '] }, { csatQuestion: '   ' }, { csatQuestion: 'x'.repeat(301) }, { dropOffWindowMs: 10 }, { dropOffWindowMs: 8 * 86_400_000 }]) {
      expect([input, codeOf(await ws.as('admin', UPDATE_SATISFACTION, { input }))]).toEqual([input, 'BAD_USER_INPUT']);
    }
    expect(dataOf(await ws.as('admin', SATISFACTION_SETTINGS)).satisfactionSettings).toMatchObject({ csatQuestion: 'How did we do?', csatLabels: labels });

    // The support metrics (through the outbox relay into the warehouse): 3 responses, scores 2, 4 and 5, by topic.
    const metrics = await eventually(
      async () => dataOf(await ws.as('analyst', CSAT_METRICS, { input: range() })).workspace.support,
      (support) => support.totals.csatResponses === 3,
    );
    expect(metrics.totals).toEqual({ csatResponses: 3, csatScores: [0, 1, 0, 1, 1], csatAverage: 11 / 3, csatSatisfied: 2 / 3 });
    expect(metrics.csatByTopic.reduce((sum: number, topic: any) => sum + topic.responses, 0)).toBe(3);
    for (const topic of metrics.csatByTopic) {
      const filtered = dataOf(await ws.as('analyst', CSAT_METRICS, { input: { ...range(), topic: topic.topic } })).workspace.support;
      expect(filtered.totals).toMatchObject({ csatResponses: topic.responses, csatAverage: topic.average, csatSatisfied: topic.satisfied, csatScores: topic.scores });
    }
    expect(dataOf(await other.as('analyst', CSAT_METRICS, { input: range() })).workspace.support.totals.csatResponses).toBe(0);
    for (const role of ['agent', 'widget'] as const) expect(codeOf(await ws.as(role, CSAT_METRICS, { input: range() }))).toBe('FORBIDDEN');
    expect(codeOf(await ws.as('analyst', CSAT_METRICS, { input: { ...range(), topic: 'x'.repeat(201) } }))).toBe('BAD_USER_INPUT');

    // The weekly report for this week: the same figures, by topic, and a CSAT headline.
    const week = isoWeekOf(new Date());
    const report = dataOf(await ws.as('admin', 'mutation($input: GenerateWeeklyReportInput!) { generateWeeklyReport(input: $input) { csatByTopic { topic responses average satisfied scores } headline { csat { current } } markdown } }', { input: { isoWeek: week } })).generateWeeklyReport;
    expect(report.csatByTopic).toEqual(metrics.csatByTopic);
    expect(report.headline.csat.current).toBeCloseTo(2 / 3, 10);
    expect(report.markdown).toContain('## Customer satisfaction by topic');
  });
});

const ITEM_STATS = 'query($id: ID!) { knowledgeItem(id: $id) { stats { shown resolved ratedUp droppedOffAfter meanSecondsToResolution } } }';
const FRICTION = 'query($input: InsightRangeInput!) { workspace { frictionPoints(input: $input) { topic dropOffs handOffs } } }';

describe('drop-off and time to resolution', () => {
  it('an answer left with no rating, resolution or follow-up for the window is recorded once as a drop-off, in the evidence and the friction points', async () => {
    const ws = await createTestWorkspace(env, 'Drop-off');
    const other = await createTestWorkspace(env, 'Drop-off elsewhere');
    dataOf(await ws.as('admin', UPSERT_ACCOUNT, { input: { externalId: 'drops', name: 'Drops' } }));
    const jo = await customerOf(ws, 'jo', 'drops');
    const kim = await customerOf(ws, 'kim', 'drops');
    const lee = await customerOf(ws, 'lee', 'drops');
    const item = await taught(ws, 'How do I export my contacts to CSV?', 'Open Contacts, select all and choose Export > CSV.');

    const reworded = 'how do I export my contacts to CSV please';
    // Jo reads the answer and leaves. Kim resolves it herself. Lee asks a follow-up in the same conversation.
    const left = await jo.ask(reworded);
    const resolvedFast = await kim.ask(reworded);
    const followedUp = await lee.ask(reworded);
    for (const answer of [left, resolvedFast, followedUp]) expect(answer.decision).toBe('ANSWERED');
    dataOf(await ws.as('widget', MARK_RESOLVED, { input: { conversationId: resolvedFast.conversation.id } }, kim.token));
    dataOf(await ws.as('widget', ASK, { input: { text: 'and to Excel?', conversationId: followedUp.conversation.id } }, lee.token));

    // Time to resolution per answer: Kim's resolution, seconds after her answer, is in the item's evidence.
    const timed = dataOf(await ws.as('agent', ITEM_STATS, { id: item })).knowledgeItem.stats;
    expect(timed.meanSecondsToResolution).toBeGreaterThanOrEqual(0);
    expect(timed.meanSecondsToResolution).toBeLessThan(60);

    // The window is read when the sweep runs: shortened to a second now (asking takes longer than that on a loaded
    // machine, and a short window from the start would rightly call Kim's answer a drop-off before she resolved).
    expect(dataOf(await ws.as('admin', UPDATE_SATISFACTION, { input: { dropOffWindowMs: 1_000 } })).updateSatisfactionSettings.dropOffWindowMs).toBe(1_000);
    expect(dataOf(await other.as('admin', SATISFACTION_SETTINGS)).satisfactionSettings.dropOffWindowMs).toBeGreaterThan(1_000);
    // Past the one-second window the sweep records Jo's answer, and only Jo's, as a drop-off.
    const stats = await eventually(async () => dataOf(await ws.as('agent', ITEM_STATS, { id: item })).knowledgeItem.stats, (s) => s.droppedOffAfter >= 1);
    expect(stats.droppedOffAfter).toBe(1);
    // More passes (and Jo's late rating, which no longer settles the turn) record nothing twice.
    dataOf(await ws.as('widget', 'mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }', { input: { messageId: left.message.id, rating: 'UP' } }, jo.token));
    // Five sweep passes: a second record of the drop-off, or the rating's, would show by then.
    await new Promise((resolve) => setTimeout(resolve, 5 * DROP_OFF_SWEEP_MS));
    expect(dataOf(await ws.as('agent', ITEM_STATS, { id: item })).knowledgeItem.stats.droppedOffAfter).toBe(1);

    // Friction points show it (a quarter in the ranking); other workspaces see nothing of it.
    const friction = await eventually(
      async () => dataOf(await ws.as('analyst', FRICTION, { input: range() })).workspace.frictionPoints,
      (points) => points.some((point: any) => point.dropOffs > 0),
    );
    expect(friction.reduce((sum: number, point: any) => sum + point.dropOffs, 0)).toBe(1);
    expect(dataOf(await other.as('analyst', FRICTION, { input: range() })).workspace.frictionPoints).toEqual([]);
    // Who may read them: analysts (and admins), not agents or widgets.
    for (const role of ['agent', 'widget'] as const) expect(codeOf(await ws.as(role, FRICTION, { input: range() }))).toBe('FORBIDDEN');
    expect(codeOf(await other.as('agent', ITEM_STATS, { id: item }))).toBe('NOT_FOUND');
    expect(codeOf(await ws.as('widget', ITEM_STATS, { id: item }))).toBe('FORBIDDEN');
    expect(codeOf(await ws.as('analyst', FRICTION, { input: { from: range().to, to: range().from } }))).toBe('BAD_USER_INPUT');
  });
});
