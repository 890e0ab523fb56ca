/**
 * Two articles that compete for one question, for tests that move the choice between them with outcomes: the
 * narrow one matches more of the question and leads on day one (too narrowly to answer it alone), the broad one
 * is the runner-up. What only the narrow one matches ('spreadsheet') it answers alone, which is how those tests
 * collect ratings of it.
 */
import { dataOf } from './graphql';
import type { TestWorkspace } from './workspace';

const CREATE_ARTICLE = 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }';

export async function reportExportArticles(ws: TestWorkspace): Promise<{ narrow: string; broad: string; question: string }> {
  const create = async (title: string, body: string): Promise<string> => dataOf(await ws.as('admin', CREATE_ARTICLE, { input: { title, body } })).createArticle.id;
  return {
    narrow: await create('Monthly report export to a spreadsheet', 'Export your monthly report to a CSV file: open Reports, pick the monthly report and click Export.'),
    broad: await create('Report export', 'Export any report, monthly or weekly, to a CSV file from Reports by clicking Export.'),
    question: 'How do I export my monthly report to a CSV file?',
  };
}
