import type { AnswerInput, AnswerPassage } from '../../services/conversation/answering/answerer';
import { EXTRACT_BUDGET, ExtractiveAnswerer, writeExtractiveAnswer } from '../../services/conversation/answering/extractive-answerer';
import { markdownToProse } from '../../services/conversation/answering/plain-text';

const passage = (passageId: string, text: string, title = 'Article'): AnswerPassage => ({ passageId, knowledgeItemId: `item-${passageId}`, itemVersion: 1, title, text });

const LONG_REFUND_PASSAGE = [
  '## Billing overview',
  '',
  'Loopdesk bills every workspace monthly on the day it was created. Invoices are emailed to the billing contact and can be downloaded from **Settings → Billing**.',
  'You can change the billing contact at any time; the next invoice goes to the new address. Taxes are added according to the country on file.',
  '',
  'Refunds are issued to the original card within five business days of approval. To request a refund, write to support with the invoice number.',
  'Annual plans are billed once a year and renew automatically unless cancelled thirty days before renewal. Seats added mid-cycle are prorated.',
  'Discounts for non-profits and education are available on request. Payment by bank transfer is possible for annual plans above fifty seats.',
  'Failed payments are retried three times over a week before the workspace is paused. A paused workspace keeps its data for ninety days.',
].join('\n');

describe('the extractive answer', () => {
  const sut = new ExtractiveAnswerer();

  it('states a short passage whole, as plain text, citing it', async () => {
    const input: AnswerInput = {
      question: 'How do I export my data?',
      passages: [passage('p1', '### Export\n\nGo to **Settings** and choose [Export data](https://app.example.com/export).\n\n- Pick `CSV` or _JSON_\n- Press *Start*'), passage('p2', 'Unrelated.')],
      context: {},
    };

    const answer = await sut.answer(input);

    expect(answer).toEqual({
      text: 'Go to Settings and choose Export data (https://app.example.com/export). Pick CSV or JSON. Press Start.',
      citedPassageIds: ['p1'],
      writer: 'extractive',
      fallbackReason: 'no_model',
    });
  });

  it('keeps only the sentences of a long passage that answer the question, in their original order', async () => {
    const answer = await sut.answer({ question: 'When will my refund arrive on my card?', passages: [passage('p1', LONG_REFUND_PASSAGE)], context: {} });

    expect(answer.text.length).toBeLessThanOrEqual(EXTRACT_BUDGET);
    expect(answer.text).toContain('Refunds are issued to the original card within five business days of approval.');
    expect(answer.text).toContain('To request a refund, write to support with the invoice number.');
    expect(answer.text).not.toContain('non-profits');
    expect(answer.text).not.toContain('##');
    expect(answer.text.indexOf('Refunds are issued')).toBeLessThan(answer.text.indexOf('To request a refund'));
    expect(answer.citedPassageIds).toEqual(['p1']);
  });

  // A lost-parcel procedure whose key step shares no word with the question.
  const LOST_DEVICE_PASSAGE = [
    'We ship new badges within two working days of your order. Standard delivery then takes five to seven working days, and up to ten abroad.',
    'You can follow the order under Team > Badges > Orders. Standard post has no tracking number; express orders come with a courier link.',
    '',
    'If ten working days have passed since dispatch and the badge is still missing, report it so we can send another one:',
    '1. Open the admin console and choose Badges.',
    '2. Select the badge order that is on its way.',
    '3. Press Report not received and confirm the delivery address.',
    '',
    'The missing badge is disabled at once, so nobody can use it if it turns up later. The replacement is free of charge and goes by standard delivery.',
  ].join('\n');

  it("keeps a list's steps together, with the sentence leading into them, when they fit", async () => {
    const answer = await sut.answer({ question: "My badge hasn't come yet, what should I do?", passages: [passage('p1', LOST_DEVICE_PASSAGE)], context: {} });
    expect(answer.text.length).toBeLessThanOrEqual(EXTRACT_BUDGET);
    const steps = [
      'report it so we can send another one:',
      'Open the admin console and choose Badges.',
      'Select the badge order that is on its way.',
      'Press Report not received and confirm the delivery address.',
    ];
    for (const step of steps) expect(answer.text).toContain(step);
    const at = steps.map((step) => answer.text.indexOf(step));
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('takes a lone step when its whole list does not fit', async () => {
    const areas = ['billing', 'seats', 'branding', 'domains', 'security', 'exports', 'webhooks', 'language', 'holidays', 'macros', 'tags', 'archive'];
    const longList = ['Before you start:', ...areas.map((area, i) => `${i + 1}. Open the ${area} page and write down what it shows before you go on to the next page of the list.`)].join('\n');
    const answer = await sut.answer({ question: 'Where do I see the webhooks?', passages: [passage('p1', `${LONG_REFUND_PASSAGE}\n\n${longList}`)], context: {} });
    expect(answer.text.length).toBeLessThanOrEqual(EXTRACT_BUDGET);
    expect(answer.text).toContain('Open the webhooks page');
    expect(answer.text).not.toContain('Open the archive page');
  });

  it('matches word forms: a question about cancelling finds the sentence about cancelled plans', async () => {
    const answer = await sut.answer({ question: 'Can I cancel my annual plan?', passages: [passage('p1', LONG_REFUND_PASSAGE)], context: {} });
    expect(answer.text).toContain('Annual plans are billed once a year and renew automatically unless cancelled thirty days before renewal.');
  });

  it('quotes the opening of a long passage when no sentence shares a word with the question', async () => {
    const answer = await sut.answer({ question: 'xyzzy?', passages: [passage('p1', LONG_REFUND_PASSAGE)], context: {} });
    expect(answer.text.startsWith('Loopdesk bills every workspace monthly')).toBe(true);
    expect(answer.text.length).toBeLessThanOrEqual(EXTRACT_BUDGET);
  });

  it('gives the same answer for the same input every time', () => {
    const input: AnswerInput = { question: 'How are failed payments retried?', passages: [passage('p1', LONG_REFUND_PASSAGE), passage('p2', 'Other.')], context: { plan: 'pro' } };
    const first = writeExtractiveAnswer(input, 'timeout');
    for (let i = 0; i < 5; i += 1) expect(writeExtractiveAnswer(input, 'timeout')).toEqual(first);
    expect(first.fallbackReason).toBe('timeout');
  });

  it('skips a passage with no readable text and cites the next one', async () => {
    const answer = await sut.answer({ question: 'Hi', passages: [passage('p1', '---\n\n'), passage('p2', 'The second passage.')], context: {} });
    expect(answer).toMatchObject({ text: 'The second passage.', citedPassageIds: ['p2'] });
  });

  it('cuts a single overlong sentence at a word boundary', async () => {
    const answer = await sut.answer({ question: 'word', passages: [passage('p1', 'word '.repeat(300).trim())], context: {} });
    expect(answer.text.length).toBeLessThanOrEqual(EXTRACT_BUDGET);
    expect(answer.text.endsWith('word…')).toBe(true);
  });

  it('refuses to answer without passages', async () => {
    await expect(sut.answer({ question: 'Anything?', passages: [], context: {} })).rejects.toThrow(/at least one passage/);
  });
});

describe('markdown as readable prose', () => {
  it('drops headings, fences, quotes, tables and emphasis but keeps snake_case and link addresses', () => {
    const markdown = [
      '# Title',
      '> Set `api_key_id` in the __config__.',
      '',
      '| Plan | Seats |',
      '|------|------:|',
      '| Pro  | 10    |',
      '',
      '```',
      'loopdesk login',
      '```',
      'See <https://docs.example.com> or ![diagram](d.png).',
    ].join('\n');
    expect(markdownToProse(markdown)).toBe('Set api_key_id in the config. Plan, Seats. Pro, 10. loopdesk login. See https://docs.example.com or diagram.');
  });
});
