/**
 * The agents' desk through the gateway: agents are people with personal keys, everything they do is recorded
 * under them, claims mean something (CONFLICT naming the holder, unclaim, reassign), and the escalation
 * workflow's SLA re-assignment goes through the same release.
 */
import { Client, Connection } from '@temporalio/client';
import { EscalationState, escalationStateQuery, escalationWorkflowId } from '../../workflows/escalation-contract';
import { GraphQLResult, codeOf, dataOf, graphql } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

let env: TestStack;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  env = await startTestStack();
  connection = await Connection.connect({ address: env.temporalAddress });
  temporal = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await env?.stop();
});

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

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
    }
    for (const role of ['analyst', 'widget'] as const) {
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
