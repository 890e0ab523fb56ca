import {
  clusterQuestions,
  GapQuestion,
  LINKAGES,
  QuestionCluster,
  REPRESENTATIONS,
} from '../../services/insights/gaps/question-clustering';

/** Four knowledge gaps, each asked in several wordings. */
const themes = {
  refundNotReceived: [
    'Where is my refund?',
    'My refund is still pending',
    'When will I receive my refund?',
    'Still waiting for my refund',
    'Refund not received yet',
    'Is my refund pending?',
  ],
  passwordReset: [
    'How do I reset my password?',
    'Password reset email never arrives',
    'Forgot my password, how to reset it',
    'Reset password link expired',
    'Resetting my password does not work',
  ],
  invoiceDownload: [
    'Where can I download my invoices?',
    'How to download an invoice as PDF',
    'Invoice download button does nothing',
    'Download invoice PDF for last month',
    'Downloading invoices for my accountant',
  ],
  apiRateLimits: [
    'What is the API rate limit?',
    'API rate limited with 429 errors',
    'How do I raise my API rate limits?',
    'Rate limit when calling the API in a loop',
    'API limits per minute',
  ],
};

/** Every wording is asked a different number of times, so each theme has its own volume. */
const knowledgeGaps: GapQuestion[] = Object.values(themes)
  .flat()
  .map((text, i) => ({ text, count: i + 1, previousCount: i % 3 }));

const sorted = (texts: readonly string[]) => [...texts].sort();

function clusterHolding(clusters: QuestionCluster[], text: string): QuestionCluster {
  const cluster = clusters.find((c) => c.examples.includes(text));
  if (!cluster) throw new Error(`no cluster shows "${text}"`);
  return cluster;
}

function occurrences(texts: readonly string[], questions: readonly GapQuestion[]) {
  const members = questions.filter((q) => texts.includes(q.text));
  return {
    volume: members.reduce((sum, q) => sum + q.count, 0),
    previousVolume: members.reduce((sum, q) => sum + q.previousCount, 0),
  };
}

describe('clustering knowledge gaps', () => {
  it('puts paraphrases of one problem in one cluster and different problems in different clusters', () => {
    const sut = clusterQuestions(knowledgeGaps, { maxExamples: 10 });
    expect(sut.map((c) => sorted(c.examples)).sort()).toEqual(Object.values(themes).map(sorted).sort());
  });

  it('sums the current and previous counts of a cluster’s questions into its volumes', () => {
    const sut = clusterQuestions(knowledgeGaps, { maxExamples: 10 });
    for (const texts of Object.values(themes)) {
      const cluster = clusterHolding(sut, texts[0]);
      expect({ volume: cluster.volume, previousVolume: cluster.previousVolume }).toEqual(occurrences(texts, knowledgeGaps));
      expect(cluster.distinctQuestions).toBe(texts.length);
    }
  });

  it('counts the same question written differently once, shown as it was asked most often', () => {
    const respelled = [...knowledgeGaps, { text: 'how do i RESET my password', count: 50, previousCount: 5 }];
    const sut = clusterHolding(clusterQuestions(respelled, { maxExamples: 10 }), 'how do i RESET my password');
    expect(sut.distinctQuestions).toBe(themes.passwordReset.length);
    expect(sut.examples).not.toContain('How do I reset my password?');
    expect(sut.volume).toBe(occurrences(themes.passwordReset, knowledgeGaps).volume + 50);
  });

  it('lists the largest gaps first', () => {
    const sut = clusterQuestions(knowledgeGaps);
    const volumes = sut.map((c) => c.volume);
    expect(volumes).toEqual([...volumes].sort((a, b) => b - a));
    expect(sut[0].volume).toBe(occurrences(themes.apiRateLimits, knowledgeGaps).volume);
  });

  it('labels each cluster with the characteristic words customers used', () => {
    const sut = clusterQuestions(knowledgeGaps, { maxExamples: 10 });
    const termsOf = (text: string) => clusterHolding(sut, text).terms;
    expect(termsOf(themes.refundNotReceived[0])).toContain('refund');
    expect(termsOf(themes.passwordReset[0])).toEqual(expect.arrayContaining(['reset', 'password']));
    expect(termsOf(themes.invoiceDownload[0])).toContain('download');
    expect(termsOf(themes.invoiceDownload[0]).some((t) => t.startsWith('invoice'))).toBe(true);
    expect(termsOf(themes.apiRateLimits[0])).toContain('api');
    for (const cluster of sut) {
      expect(cluster.terms.length).toBeGreaterThanOrEqual(2);
      expect(cluster.terms.length).toBeLessThanOrEqual(4);
      expect(cluster.label).toBe(cluster.terms.join(' / '));
    }
  });

  it('shows at most maxExamples of the cluster’s own questions, the most typical first', () => {
    const sut = clusterQuestions(knowledgeGaps, { maxExamples: 2 });
    for (const cluster of sut) {
      expect(cluster.examples).toHaveLength(2);
      const theme = Object.values(themes).find((texts) => texts.includes(cluster.examples[0]));
      expect(theme).toEqual(expect.arrayContaining(cluster.examples));
    }
    expect(clusterHolding(sut, 'How do I reset my password?').examples[0]).toBe('How do I reset my password?');
  });

  it('drops questions made only of stop words', () => {
    const withChatter = [
      ...knowledgeGaps,
      { text: 'How do I?', count: 9, previousCount: 1 },
      { text: 'Hi, can you help me???', count: 4, previousCount: 0 },
      { text: '123 456', count: 2, previousCount: 2 },
    ];
    expect(clusterQuestions(withChatter)).toEqual(clusterQuestions(knowledgeGaps));
  });

  it('gives the same clusters every time for the same questions', () => {
    expect(clusterQuestions(knowledgeGaps)).toEqual(clusterQuestions(knowledgeGaps));
  });

  it('only splits themes, never mixes them, when minSimilarity is stricter', () => {
    const sut = clusterQuestions(knowledgeGaps, { minSimilarity: 0.5, maxExamples: 10 });
    expect(sut.length).toBeGreaterThan(Object.keys(themes).length);
    for (const cluster of sut) {
      expect(Object.values(themes).some((texts) => cluster.examples.every((e) => texts.includes(e)))).toBe(true);
    }
  });

  it('keeps one cluster per distinct normalised text when minSimilarity is above 1', () => {
    const respelled = [...knowledgeGaps, { text: 'what is the api rate limit', count: 1, previousCount: 0 }];
    const sut = clusterQuestions(respelled, { minSimilarity: 1.01 });
    expect(sut).toHaveLength(knowledgeGaps.length);
    for (const cluster of sut) expect(cluster.distinctQuestions).toBe(1);
  });

  it('clusters only the maxQuestions most asked distinct questions', () => {
    const sut = clusterQuestions(knowledgeGaps, { maxQuestions: 3, maxExamples: 10 });
    const asked = (q: GapQuestion) => q.count + q.previousCount;
    const mostAsked = [...knowledgeGaps].sort((a, b) => asked(b) - asked(a)).slice(0, 3);
    expect(sorted(sut.flatMap((c) => c.examples))).toEqual(sorted(mostAsked.map((q) => q.text)));
  });

  it('accounts for every occurrence of 2000 distinct questions', () => {
    const issues = ['broken', 'slow', 'missing', 'duplicated', 'locked', 'expired', 'hidden', 'wrong', 'empty', 'stuck'];
    const areas = ['billing', 'export', 'dashboard', 'webhook', 'calendar', 'inbox', 'mobile', 'search', 'import', 'sso'];
    const objects = 'report chart widget filter token label folder contact macro ticket survey team seat domain badge theme tag queue rule view'.split(' ');
    const questions: GapQuestion[] = Array.from({ length: 2000 }, (_, i) => ({
      text: `${issues[i % 10]} ${areas[Math.floor(i / 10) % 10]} ${objects[Math.floor(i / 100)]}`,
      count: (i % 7) + 1,
      previousCount: i % 4,
    }));
    const chatter: GapQuestion[] = [{ text: 'How do I do this?', count: 30, previousCount: 3 }];

    const sut = clusterQuestions([...questions, ...chatter]);

    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(sut.map((c) => c.volume))).toBe(sum(questions.map((q) => q.count)));
    expect(sum(sut.map((c) => c.previousVolume))).toBe(sum(questions.map((q) => q.previousCount)));
    expect(sum(sut.map((c) => c.distinctQuestions))).toBe(2000);
  });

  describe.each(LINKAGES)('with %s linkage', (linkage) => {
    it.each(REPRESENTATIONS)('merges two wordings of one question and keeps an unrelated one apart (%s)', (representation) => {
      const questions = ['How do I reset my password?', 'Password reset, how?', 'Cancel my subscription'];

      const sut = clusterQuestions(
        questions.map((text) => ({ text, count: 1, previousCount: 0 })),
        { linkage, representation, maxExamples: 10 },
      );

      expect(sut.map((c) => sorted(c.examples)).sort()).toEqual([sorted(questions.slice(0, 2)), [questions[2]]].sort());
    });
  });

  it('joins a chain of overlapping questions under single linkage and keeps its far ends apart under complete', () => {
    // a~b and b~c share a word each (cosine about 0.4); a and c share none.
    const chain: GapQuestion[] = ['invoice pdf', 'pdf export', 'export calendar'].map((text) => ({ text, count: 1, previousCount: 0 }));
    const clusters = (linkage: 'single' | 'complete') =>
      clusterQuestions(chain, { linkage, minSimilarity: 0.2, maxExamples: 10 }).map((c) => sorted(c.examples));

    expect(clusters('single')).toEqual([sorted(chain.map((q) => q.text))]);
    expect(clusters('complete')).toHaveLength(2);
    expect(clusters('complete').find((texts) => texts.includes('invoice pdf'))).not.toContain('export calendar');
  });
});
