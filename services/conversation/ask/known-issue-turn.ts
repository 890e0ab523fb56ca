/**
 * What a known issue changes in one turn of the ask path (answering/known-issues.ts says which bug matches): an
 * answer opens by acknowledging the bug, a hand-off gives KNOWN_ISSUE as its reason and tells the customer that a
 * person follows up, and the turn records which bug it was. Kept here so that ask.service only calls it.
 */
import type { AskerBug, AskerContext } from '../clients/account-context';
import type { WrittenAnswer } from '../answering/answerer';
import { matchKnownIssue } from '../answering/known-issues';
import { AnswerDecision, HandOffReason } from '../conversation/conversation.types';
import type { AskerContextRecord } from '../conversation/message.entity';
import { systemMessage } from '../language/system-messages';
import type { Decision } from './answer-policy';

/**
 * Hand-off reasons a known issue does not replace: it names why the AI could not help (no knowledge, too unsure,
 * stale knowledge), not a rule that would have handed the question off anyway. A question in a language nobody
 * can answer yet still needs that fixed first (its message says so); sensitive knowledge and workspace policy keep
 * their reasons, which agents triage by.
 */
const KEPT_REASONS: ReadonlySet<HandOffReason | null> = new Set([
  HandOffReason.UNSUPPORTED_LANGUAGE,
  HandOffReason.SENSITIVE_KNOWLEDGE,
  HandOffReason.POLICY,
  HandOffReason.CUSTOMER_ASKED,
]);

/** A tracker title can be long; the customer reads it inside one sentence. */
const MAX_TITLE_CHARS = 160;

/** The open bug affecting the asker that the question is about; none for an asker without account context. */
export function knownIssueOf(question: string, context: AskerContext | null): AskerBug | null {
  return context ? matchKnownIssue(question, context.openBugs) : null;
}

/** The decision with KNOWN_ISSUE as its hand-off reason when the question is about a known issue. */
export function withKnownIssue(verdict: Decision, knownIssue: AskerBug | null): Decision {
  if (!knownIssue || verdict.decision === AnswerDecision.ANSWERED || KEPT_REASONS.has(verdict.handOffReason)) return verdict;
  return { ...verdict, handOffReason: HandOffReason.KNOWN_ISSUE };
}

/** What the customer reads: the written answer or the hand-off message, acknowledging the known issue first. */
/**
 * What the customer reads for the AI's turn. `withTeam`: the conversation was already handed off before this
 * question, so a turn the AI does not answer joins it rather than passing anything on again.
 */
export function customerReply(written: WrittenAnswer | null, verdict: Decision, knownIssue: AskerBug | null, language: string, withTeam = false): string {
  const bug = knownIssue ? { title: shortTitle(knownIssue.title) } : null;
  if (written) return bug ? `${systemMessage('knownIssue', language, bug)}\n\n${written.text}` : written.text;
  if (verdict.handOffReason === HandOffReason.UNSUPPORTED_LANGUAGE) return systemMessage('unsupportedLanguage', language);
  if (verdict.handOffReason === HandOffReason.KNOWN_ISSUE && bug) return systemMessage('knownIssueHandedOff', language, bug);
  return systemMessage(withTeam ? 'stillWithTeam' : 'handedOff', language);
}

/** The account context kept on the AI turn, naming the bug the question was about so an agent can see it. */
export function contextRecord(context: AskerContext | null, knownIssue: AskerBug | null): AskerContextRecord | null {
  if (!context || !knownIssue) return context;
  return { ...context, knownIssue: { id: knownIssue.id, title: knownIssue.title, productAreas: knownIssue.productAreas, url: knownIssue.url } };
}

function shortTitle(title: string): string {
  const flat = title.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_TITLE_CHARS ? flat : `${flat.slice(0, MAX_TITLE_CHARS - 1).trimEnd()}…`;
}
