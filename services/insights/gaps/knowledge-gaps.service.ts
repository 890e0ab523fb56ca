/**
 * Knowledge gaps: the questions the AI handed off (or customers took to a person) in a range, clustered by
 * what they ask (see question-clustering), with each cluster's volume against the period before.
 */
import { rollupRange } from '../rollup-window';
import { checkRange, toClickHouseTime } from '../time-range';
import { WarehouseReader, workspaceRangeParams } from '../warehouse-reader';
import { GAP_QUESTIONS_ROLLUP_SQL, GAP_QUESTIONS_SQL } from './knowledge-gaps.queries';
import { QuestionCluster, clusterQuestions } from './question-clustering';

/** Distinct questions clustered per request: the most frequent ones, so a huge week stays quick. */
const MAX_GAP_QUESTIONS = 2_000;

export interface GapQuery {
  from: Date;
  to: Date;
  topic?: string;
  first: number;
}

export class KnowledgeGapsService extends WarehouseReader {
  async gaps(workspaceId: string, query: GapQuery): Promise<QuestionCluster[]> {
    checkRange(query.from, query.to);
    const previousFrom = new Date(2 * query.from.getTime() - query.to.getTime());
    const rows = await this.rows<{ question: string; count: string | number; previousCount: string | number }>(
      this.readFrom === 'rollups' ? GAP_QUESTIONS_ROLLUP_SQL : GAP_QUESTIONS_SQL,
      {
        ...workspaceRangeParams(workspaceId, query.from, query.to),
        ...rollupRange('previous', previousFrom, query.from),
        previousFrom: toClickHouseTime(previousFrom),
        topic: query.topic ?? '',
        limit: MAX_GAP_QUESTIONS,
      },
    );
    const questions = rows.map((row) => ({ text: row.question, count: Number(row.count), previousCount: Number(row.previousCount) }));
    // Clusters are formed over both periods (so "previous" compares like with like) but only this period's gaps are listed.
    return clusterQuestions(questions, { maxQuestions: MAX_GAP_QUESTIONS })
      .filter((cluster) => cluster.volume > 0)
      .slice(0, query.first);
  }
}
