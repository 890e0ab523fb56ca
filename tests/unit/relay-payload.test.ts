import { payloadDetails, toInteractionEvent } from '../../analytics/relay';
import type { OutboxRow } from '../../analytics/relay-batches';

const row = (payload: Record<string, unknown>): OutboxRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  workspace_id: '00000000-0000-4000-8000-000000000002',
  type: 'question_asked',
  occurred_at: new Date('2026-12-07T00:00:00Z'),
  payload,
  correlation_id: '',
});

describe("the relay's event payload", () => {
  it('keeps only what no column holds; the columns hold the rest', () => {
    const payload = {
      conversationId: 'c-1', messageId: 'm-1', customerId: 'cu-1', accountId: 'a-1', knowledgeItemId: 'k-1', topic: 'billing',
      page: '/invoices', plan: 'pro', channel: 'in_app', decision: 'answered', handOffReason: '', text: 'Where is my invoice?',
      language: 'en', followUp: false, confidence: 0.72, latencyMs: 41.6, before: 0.5,
    };
    const event = toInteractionEvent(row(payload));
    expect(event.payload).toEqual({ language: 'en', followUp: false, confidence: 0.72, latencyMs: 41.6, before: 0.5 });
    expect(event).toMatchObject({
      conversationId: 'c-1', messageId: 'm-1', customerId: 'cu-1', accountId: 'a-1', knowledgeItemId: 'k-1', topic: 'billing',
      page: '/invoices', plan: 'pro', channel: 'in_app', decision: 'answered', handoffReason: '', text: 'Where is my invoice?',
      confidence: 0.72, latencyMs: 42,
    });
    // The outbox row itself is not changed.
    expect(payload.text).toBe('Where is my invoice?');
  });

  it('leaves a value that is not a string where it came, in the payload', () => {
    expect(payloadDetails({ topic: 7, text: { quoted: 'x' }, page: '/a' })).toEqual({ topic: 7, text: { quoted: 'x' } });
  });

  it('hands a payload with nothing to leave out back as it is', () => {
    const payload = { productChangeId: 'p-1', title: 'New invoices page', productAreas: ['billing'] };
    expect(payloadDetails(payload)).toBe(payload);
  });

  it('leaves out only keys whose value some column of the event carries', () => {
    // Each key the payload may lose, alone: its value must reappear in one of the event's own fields.
    for (const key of ['conversationId', 'messageId', 'customerId', 'accountId', 'knowledgeItemId', 'topic', 'page', 'plan', 'channel', 'decision', 'handOffReason', 'text', 'language', 'title']) {
      const value = `value of ${key}`;
      const event = toInteractionEvent(row({ [key]: value }));
      const inPayload = key in event.payload!;
      const inColumn = Object.entries(event).some(([field, v]) => field !== 'payload' && v === value);
      expect({ key, kept: inPayload || inColumn }).toEqual({ key, kept: true });
      expect({ key, both: inPayload && inColumn }).toEqual({ key, both: false });
    }
  });
});
