/** The desk's pure rules: who may act on a claimed conversation, a conversation's outcome, a hand-off in words. */
import { agentIdOf, agentSubject } from '../../services/shared/agent-subject';
import { ClaimGuard } from '../../services/conversation/assignment/claim-guard';
import { outcomeOf } from '../../services/conversation/conversation/conversation.resolver';
import { ConversationOutcome, HandOffReason } from '../../services/conversation/conversation/conversation.types';
import { explain } from '../../services/conversation/desk/hand-off-view.service';
import type { RequestContext } from '../../services/shared/request-context';

const ada = '6f1c1a3e-2b7d-4c55-9a43-0b1d2c3e4f50';
const caller = (role: RequestContext['role'], subject: string): RequestContext => ({ workspaceId: 'w', role, subject, requestId: 'r', issuedAt: 0 });

describe('agent subjects', () => {
  it('round-trips an agent id and refuses keys, customers and malformed ids', () => {
    expect(agentIdOf(agentSubject(ada))).toBe(ada);
    expect(agentIdOf(`key:${ada}`)).toBeNull();
    expect(agentIdOf('customer:carol')).toBeNull();
    expect(agentIdOf('agent:not-a-uuid')).toBeNull();
    expect(agentIdOf(null)).toBeNull();
  });
});

describe('claims', () => {
  it('an unclaimed conversation is anyone\'s; a claimed one its holder\'s and admins\'', () => {
    const holder = agentSubject(ada);
    expect(ClaimGuard.mayAct(caller('agent', 'key:x'), null)).toBe(true);
    expect(ClaimGuard.mayAct(caller('agent', holder), holder)).toBe(true);
    expect(ClaimGuard.mayAct(caller('agent', 'key:x'), holder)).toBe(false);
    expect(ClaimGuard.mayAct(caller('admin', 'key:y'), holder)).toBe(true);
    expect(ClaimGuard.mayAct(caller('system', 'service:escalation'), holder)).toBe(true);
  });
});

describe('outcomes', () => {
  it.each([
    [{ status: 'open', handedOffAt: null, claimedBy: null, firstRepliedAt: null }, ConversationOutcome.OPEN],
    [{ status: 'handed_off', handedOffAt: new Date(), claimedBy: null, firstRepliedAt: null }, ConversationOutcome.WAITING_FOR_AGENT],
    [{ status: 'handed_off', handedOffAt: new Date(), claimedBy: 'key:x', firstRepliedAt: null }, ConversationOutcome.WITH_AGENT],
    [{ status: 'resolved', handedOffAt: null, claimedBy: null, firstRepliedAt: null }, ConversationOutcome.RESOLVED_BY_AI],
    [{ status: 'resolved', handedOffAt: new Date(), claimedBy: 'key:x', firstRepliedAt: new Date() }, ConversationOutcome.RESOLVED_BY_AGENT],
    [{ status: 'resolved', handedOffAt: new Date(), claimedBy: null, firstRepliedAt: new Date() }, ConversationOutcome.RESOLVED_BY_AGENT],
    // Handed off, then closed (by the customer) before any agent wrote: not an agent's resolution.
    [{ status: 'resolved', handedOffAt: new Date(), claimedBy: null, firstRepliedAt: null }, ConversationOutcome.RESOLVED_WITHOUT_REPLY],
    [{ status: 'resolved', handedOffAt: new Date(), claimedBy: 'key:x', firstRepliedAt: null }, ConversationOutcome.RESOLVED_WITHOUT_REPLY],
    // An agent corrected an AI answer with no hand-off, then the customer resolved it: the agent's answer resolved it.
    [{ status: 'resolved', handedOffAt: null, claimedBy: null, firstRepliedAt: new Date() }, ConversationOutcome.RESOLVED_BY_AGENT],
    // Corrected by an agent after the hand-off, never claimed: with an agent, not waiting for one.
    [{ status: 'handed_off', handedOffAt: new Date('2026-12-07T10:00:00Z'), claimedBy: null, firstRepliedAt: new Date('2026-12-07T10:05:00Z') }, ConversationOutcome.WITH_AGENT],
    // Answered before a later hand-off: waiting again.
    [{ status: 'handed_off', handedOffAt: new Date('2026-12-07T11:00:00Z'), claimedBy: null, firstRepliedAt: new Date('2026-12-07T10:05:00Z') }, ConversationOutcome.WAITING_FOR_AGENT],
  ] as const)('%o is %s', (conversation, outcome) => {
    expect(outcomeOf(conversation)).toBe(outcome);
  });
});

describe('a hand-off in words', () => {
  it('names the confidence and the threshold it missed', () => {
    expect(explain(HandOffReason.LOW_CONFIDENCE, { confidence: 0.41, threshold: 0.625, topic: 'billing' })).toBe(
      'The AI\'s confidence 0.41 was under the threshold 0.63 learned for "billing"',
    );
    expect(explain(HandOffReason.CUSTOMER_ASKED, null)).toBe('The customer asked for a person');
    expect(explain(HandOffReason.POLICY, { confidence: 0.9, threshold: 0.5, topic: '' })).toBe("The workspace's policy hands its topic off to a person");
  });
});
