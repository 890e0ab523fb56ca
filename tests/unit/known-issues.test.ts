import { matchKnownIssue } from '../../services/conversation/answering/known-issues';
import { contextRecord, customerReply, withKnownIssue } from '../../services/conversation/ask/known-issue-turn';
import type { Decision } from '../../services/conversation/ask/answer-policy';
import { AnswerDecision, HandOffReason } from '../../services/conversation/conversation/conversation.types';
import { systemMessage } from '../../services/conversation/language/system-messages';

const bug = (title: string, id = title) => ({ id, title, productAreas: [] as string[], url: null });

describe('which open bug a question is about', () => {
  const sut = matchKnownIssue;

  it.each([
    ["invoice PDFs won't download", 'Invoice PDF download fails'],
    ['Why does downloading my invoice as a PDF give an error?', 'Invoice PDF download fails'],
    ['my CSV export keeps timing out', 'CSV export times out for large accounts'],
    ['The SSO login keeps looping back to the start', 'SSO login loops'],
    ['Invoices are showing the wrong currency', 'Invoices show the wrong currency'],
    ['I get a blank page when I open the dashboard', 'Dashboard shows a blank page'],
    ['Our webhook deliveries arrive hours late', 'Webhook delivery delayed'],
    ['how do I export my data?', 'Exports broken'],
  ])('%j is about the bug %j', (question, title) => {
    expect(sut(question, [bug(title)])?.title).toBe(title);
  });

  it.each([
    // One shared subject word: about the same part of the product, not about the bug.
    ['How do I change the address on my invoice?', 'Invoice PDF download fails'],
    ['Can I export a report as a spreadsheet?', 'CSV export times out'],
    ['How do I add a teammate to SSO?', 'SSO login loops'],
    ['What currency do you charge in?', 'Invoices show the wrong currency'],
    // Only words that say something is wrong are shared.
    ['My report export fails with an error', 'Invoice download fails with an error'],
    ['The mobile app is broken and keeps crashing', 'Calendar sync broken'],
    // Nothing shared at all.
    ['How do I invite a teammate?', 'Invoice PDF download fails'],
    // A long title does not match on two stray words.
    ['How do I change my billing plan?', 'Invoice PDF download fails for customers on the legacy billing plan in Europe'],
  ])('%j is not about the bug %j', (question, title) => {
    expect(sut(question, [bug(title)])).toBeNull();
  });

  it('matches a long title when the question shares a third of its words', () => {
    expect(sut('my invoice PDF will not download', [bug('Invoice PDF download fails for customers on the legacy billing plan in Europe')])).not.toBeNull();
  });

  it('never matches a title made only of symptom and stop words', () => {
    expect(sut('it is broken, there is an error', [bug("It's broken: error")])).toBeNull();
  });

  it('picks the bug sharing the most words, then the earlier one', () => {
    const bugs = [bug('Invoice emails are delayed', 'emails'), bug('Invoice PDF download fails', 'pdf'), bug('Invoice PDF download fails again', 'again')];
    expect(sut('the invoice PDF download does nothing', bugs)?.id).toBe('pdf');
    expect(sut('invoice emails arrive days late', bugs)?.id).toBe('emails');
    expect(sut('anything else', bugs)).toBeNull();
    expect(sut('invoice PDF', [])).toBeNull();
  });
});

describe('a known issue in the turn', () => {
  const knownIssue = { id: 'b1', title: 'Invoice PDF download fails', productAreas: ['billing'], url: 'https://tracker.example/b1' };
  const verdict = (decision: AnswerDecision, handOffReason: HandOffReason | null): Decision => ({ decision, handOffReason, confidence: 0.2, threshold: 0.5, topic: 'billing', best: null });
  const written = { text: 'Open Billing > Invoices and click Download PDF.', citedPassageIds: ['p1'], writer: 'extractive' as const };

  it('hands off as KNOWN_ISSUE, except when the language is unsupported, and leaves answers answered', () => {
    expect(withKnownIssue(verdict(AnswerDecision.HANDED_OFF, HandOffReason.LOW_CONFIDENCE), knownIssue).handOffReason).toBe(HandOffReason.KNOWN_ISSUE);
    expect(withKnownIssue(verdict(AnswerDecision.HANDED_OFF, HandOffReason.NO_KNOWLEDGE), knownIssue).handOffReason).toBe(HandOffReason.KNOWN_ISSUE);
    expect(withKnownIssue(verdict(AnswerDecision.HANDED_OFF, HandOffReason.UNSUPPORTED_LANGUAGE), knownIssue).handOffReason).toBe(HandOffReason.UNSUPPORTED_LANGUAGE);
    expect(withKnownIssue(verdict(AnswerDecision.HANDED_OFF, HandOffReason.STALE_KNOWLEDGE), knownIssue).handOffReason).toBe(HandOffReason.KNOWN_ISSUE);
    for (const kept of [HandOffReason.SENSITIVE_KNOWLEDGE, HandOffReason.POLICY, HandOffReason.CUSTOMER_ASKED]) {
      expect(withKnownIssue(verdict(AnswerDecision.HANDED_OFF, kept), knownIssue).handOffReason).toBe(kept);
    }
    expect(withKnownIssue(verdict(AnswerDecision.ANSWERED, null), knownIssue)).toEqual(verdict(AnswerDecision.ANSWERED, null));
    expect(withKnownIssue(verdict(AnswerDecision.HANDED_OFF, HandOffReason.LOW_CONFIDENCE), null).handOffReason).toBe(HandOffReason.LOW_CONFIDENCE);
  });

  it("acknowledges the bug before the answer, in the customer's language", () => {
    expect(customerReply(written, verdict(AnswerDecision.ANSWERED, null), knownIssue, 'en')).toBe(
      `This looks related to a known issue our team is working on: "Invoice PDF download fails".\n\n${written.text}`,
    );
    expect(customerReply(written, verdict(AnswerDecision.ANSWERED, null), knownIssue, 'fr')).toMatch(/^Cela semble lié à un problème connu .*« Invoice PDF download fails »\.\n\n/);
    expect(customerReply(written, verdict(AnswerDecision.ANSWERED, null), null, 'en')).toBe(written.text);
  });

  it('tells the customer handed off over a known issue that a person follows up, and keeps the other hand-off messages', () => {
    const handedOff = customerReply(null, verdict(AnswerDecision.HANDED_OFF, HandOffReason.KNOWN_ISSUE), knownIssue, 'en');
    expect(handedOff).toContain('"Invoice PDF download fails"');
    expect(handedOff).toContain('someone will follow up here shortly');
    expect(customerReply(null, verdict(AnswerDecision.HANDED_OFF, HandOffReason.UNSUPPORTED_LANGUAGE), knownIssue, 'de')).toBe(systemMessage('unsupportedLanguage', 'de'));
    expect(customerReply(null, verdict(AnswerDecision.HANDED_OFF, HandOffReason.LOW_CONFIDENCE), null, 'en')).toBe(systemMessage('handedOff', 'en'));
  });

  it('tells a customer whose conversation is already with the team that the message joined it, not that it was passed on again', () => {
    const lowConfidence = verdict(AnswerDecision.HANDED_OFF, HandOffReason.LOW_CONFIDENCE);
    expect(customerReply(null, lowConfidence, null, 'en', true)).toBe(systemMessage('stillWithTeam', 'en'));
    expect(customerReply(null, lowConfidence, null, 'en', true)).toMatch(/already with our support team/);
    expect(customerReply(null, lowConfidence, null, 'nl', true)).toBe(systemMessage('stillWithTeam', 'nl'));
    expect(customerReply(null, lowConfidence, null, 'en', false)).toBe(systemMessage('handedOff', 'en'));
    // An answer is still the answer, and a known issue is still named.
    expect(customerReply(written, verdict(AnswerDecision.ANSWERED, null), null, 'en', true)).toBe(written.text);
    expect(customerReply(null, verdict(AnswerDecision.HANDED_OFF, HandOffReason.KNOWN_ISSUE), knownIssue, 'en', true)).toBe(systemMessage('knownIssueHandedOff', 'en', { title: 'Invoice PDF download fails' }));
  });

  it('puts a long or multi-line title on one short line, and takes a "$" in it literally', () => {
    const long = { ...knownIssue, title: `Export\n  of $1 invoices ${'very '.repeat(60)}slow` };
    const reply = customerReply(null, verdict(AnswerDecision.HANDED_OFF, HandOffReason.KNOWN_ISSUE), long, 'en');
    expect(reply).toContain('"Export of $1 invoices very very');
    expect(reply).toContain('…"');
    expect(reply).not.toContain('\n');
  });

  it('records the bug with the account context, and nothing new without one', () => {
    const context = { plan: 'pro', billingState: null, signedUpAt: null, segments: [], openBugs: [knownIssue] };
    expect(contextRecord(context, knownIssue)).toEqual({ ...context, knownIssue });
    expect(contextRecord(context, null)).toBe(context);
    expect(contextRecord(null, null)).toBeNull();
  });
});
