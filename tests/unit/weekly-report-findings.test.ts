import { FindingInput, QUIET_WEEK, deriveFindings } from '../../services/insights/report/weekly-report-findings';

const figure = (current: number | null, previous: number | null) => ({ current, previous });

function quietWeek(): FindingInput {
  return {
    workspaceId: 'w',
    workspaceName: 'Acme',
    isoWeek: '2026-W48',
    periodStart: '2026-11-23T00:00:00.000Z',
    periodEnd: '2026-11-30T00:00:00.000Z',
    timeZone: 'UTC',
    generatedAt: '2026-11-30T06:00:00.000Z',
    headline: {
      questions: figure(100, 98),
      automationRate: figure(0.8, 0.79),
      handOffRate: figure(0.2, 0.21),
      resolutionRate: figure(0.7, 0.7),
      satisfaction: figure(0.9, 0.9),
      medianFirstResponseSeconds: figure(300, 290),
      medianResolutionSeconds: figure(3600, 3500),
      correctionsAbsorbed: figure(0, 0),
    },
    learningCurve: [{ weekStart: '2026-11-23', automationRate: 0.8, correctionsAbsorbed: 0, learnedAnswersPublished: 0, topicsOpened: 0 }],
    dailyVolume: [],
    risingTopics: [],
    knowledgeGaps: [],
    frictionPoints: [],
    staleStillServed: [],
    uncited: [],
  };
}

describe('findings', () => {
  it('says the plain figures in a quiet week, three of them', () => {
    const sut = deriveFindings(quietWeek());
    expect(sut).toEqual([
      'The AI answered 80.0% of questions on its own.',
      'Customers asked 100 questions this week.',
      'No question went unanswered for lack of knowledge.',
    ]);
  });

  it('says once that nobody asked anything in a week without questions, not three ways of saying nothing happened', () => {
    const week = quietWeek();
    week.headline.questions = figure(0, 0);
    week.headline.automationRate = figure(null, null);
    expect(deriveFindings(week)).toEqual([QUIET_WEEK]);
    // What else applies is still said first: a learned answer taught that week, a stale article still served.
    week.headline.correctionsAbsorbed = figure(2, 0);
    week.learningCurve[0]!.learnedAnswersPublished = 2;
    expect(deriveFindings(week)).toEqual(["Agents' 2 corrections taught the AI 2 new answers it now serves on its own.", QUIET_WEEK]);
  });

  it('says of a knowledge gap what the figures show: the AI could not answer those questions, not that no article exists', () => {
    const week = quietWeek();
    week.knowledgeGaps = [{ label: 'cash / fee', volume: 3, previousVolume: 0, examples: ['Why was I charged for cash?'] }];
    expect(deriveFindings(week)).toContain('The largest knowledge gap (cash / fee) sent 3 questions to people such as "Why was I charged for cash?": the AI could not answer them from what it knew then.');
  });

  it('leads with what changed, and keeps at most five', () => {
    const week = quietWeek();
    week.headline.automationRate = figure(0.85, 0.78);
    week.headline.questions = figure(150, 100);
    week.headline.correctionsAbsorbed = figure(12, 3);
    week.learningCurve[0]!.learnedAnswersPublished = 9;
    week.risingTopics = [{ topic: 'exports', volume: 40, baseline: 5.25, pValue: 1e-9, productChanges: [{ id: 'c', title: 'New CSV exporter', recordedAt: '2026-11-20T10:00:00.000Z' }] }];
    week.knowledgeGaps = [{ label: 'csv / timeout', volume: 14, previousVolume: 2, examples: ['CSV export times out'] }];
    week.staleStillServed = [{ knowledgeItemId: 'k', title: 'Exporting', topic: 'exports', timesServed: 31 }];
    week.frictionPoints = [{ topic: 'exports', plan: 'pro', page: '/reports', repeatContacts: 2, downRatings: 3, handOffs: 9 }];

    const sut = deriveFindings(week);

    expect(sut).toHaveLength(5);
    expect(sut[0]).toBe('The AI answered 85.0% of questions on its own, up 7.0 points from the week before.');
    expect(sut[1]).toBe('Customers asked 150 questions, 50% more than the week before.');
    expect(sut[2]).toBe('Conversations about "exports" jumped to 40 from about 5.3 a week, shortly after the product change "New CSV exporter".');
    expect(sut[3]).toContain('The largest knowledge gap (csv / timeout) sent 14 questions to people such as "CSV export times out"');
    expect(sut[4]).toBe("Agents' 12 corrections taught the AI 9 new answers it now serves on its own.");
  });

  it('calls a topic with no baseline new rather than rising from 0.0', () => {
    const week = quietWeek();
    week.risingTopics = [{ topic: 'sso', volume: 12, baseline: 0, pValue: 1e-6, productChanges: [] }];
    expect(deriveFindings(week)).toContain('Conversations about "sso" jumped to 12 from none in the weeks before.');
  });

  it('reports slower first responses, and stale content still served', () => {
    const week = quietWeek();
    week.headline.medianFirstResponseSeconds = figure(1800, 600);
    week.staleStillServed = [{ knowledgeItemId: 'k', title: 'Pricing', topic: 'billing', timesServed: 4 }];
    const sut = deriveFindings(week);
    expect(sut).toContain('1 article flagged as out of date after a product change was still cited in 4 answers; updating it comes first.');
    expect(sut).toContain('Half of the handed-off customers heard from a person within 30 minutes, slower than the week before (10 minutes).');
  });

  describe('automation by context', () => {
    const change = (kind: 'plan' | 'pageArea', bucket: string, current: [number, number], previous: [number, number]) => ({
      kind,
      bucket,
      current: { questions: current[0], automationRate: current[1] },
      previous: { questions: previous[0], automationRate: previous[1] },
    });

    it('names the plan or page area where automation fell most, with both weeks\' rates and questions', () => {
      const week = quietWeek();
      week.automationByContext = [change('plan', 'pro', [24, 0.5], [31, 0.9]), change('pageArea', 'billing', [40, 0.7], [40, 0.8])];
      expect(deriveFindings(week)).toContain(
        'Automation fell most for askers on the pro plan: the AI answered 50.0% of 24 questions on its own, down from 90.0% of 31 questions the week before.',
      );
      week.automationByContext = [change('pageArea', 'billing', [1_204, 0.612], [998, 0.7])];
      expect(deriveFindings(week)).toContain(
        'Automation fell most for questions asked from the billing area: the AI answered 61.2% of 1,204 questions on its own, down from 70.0% of 998 questions the week before.',
      );
    });

    it('says nothing when no bucket fell, or fell by less than the headline calls steady', () => {
      const week = quietWeek();
      const quiet = deriveFindings(week);
      week.automationByContext = [change('plan', 'pro', [24, 0.9], [31, 0.5])];
      expect(deriveFindings(week)).toEqual(quiet);
      week.automationByContext = [change('plan', 'pro', [24, 0.79], [31, 0.8])];
      expect(deriveFindings(week)).toEqual(quiet);
      week.automationByContext = [];
      expect(deriveFindings(week)).toEqual(quiet);
    });
  });
});
