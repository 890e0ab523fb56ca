/**
 * A report as a Slack-compatible incoming-webhook message: `text` for notifications and clients without
 * blocks, `blocks` with the headline and the findings. Slack's mrkdwn treats &, < and > as markup, so text
 * from the report (workspace names, topics, questions quoted in findings) is escaped.
 */
import { formatPercent } from './report-format';
import type { WeeklyReportContent } from './weekly-report-content';

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(report: WeeklyReportContent): SlackMessage {
  const title = `Weekly support intelligence: ${report.workspaceName}, ${report.isoWeek}`;
  const { headline } = report;
  const figures = [
    `*Questions:* ${headline.questions.current ?? 0} (previous week ${headline.questions.previous ?? 0})`,
    `*Answered by the AI:* ${formatPercent(headline.automationRate.current)} (previous week ${formatPercent(headline.automationRate.previous)})`,
    `*Handed off:* ${formatPercent(headline.handOffRate.current)}`,
    `*Corrections absorbed:* ${headline.correctionsAbsorbed.current ?? 0}`,
  ];
  return {
    text: `${escapeMrkdwn(title)}\n${report.findings.map((f) => `• ${escapeMrkdwn(f)}`).join('\n')}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', fields: figures.map((text) => ({ type: 'mrkdwn', text })) },
      { type: 'section', text: { type: 'mrkdwn', text: report.findings.map((f) => `• ${escapeMrkdwn(f)}`).join('\n').slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Full report: query \`weeklyReport(isoWeek: "${report.isoWeek}")\` in Loopdesk insights.` }] },
    ],
  };
}
