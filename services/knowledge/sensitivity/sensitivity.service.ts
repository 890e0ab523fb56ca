/**
 * Sensitive knowledge: items or whole topics (security, fraud, account closure) an admin marks so the AI answers
 * from them alone only above the workspace's sensitive bar (`LearningSettings.sensitiveThreshold`).
 */
import type { DataSource } from 'typeorm';
import { badInput, notFound } from '../../shared/errors';
import { KnowledgeItemEntity } from '../knowledge-item/knowledge-item.entity';
import { recordEvents } from '../../shared/outbox';

const MAX_TOPIC_LENGTH = 100;

export class SensitivityService {
  constructor(private readonly db: DataSource) {}

  async markItem(workspaceId: string, itemId: string, sensitive: boolean, actor: string): Promise<KnowledgeItemEntity> {
    return this.db.transaction(async (tx) => {
      const items = tx.getRepository(KnowledgeItemEntity);
      const item = await items.findOne({ where: { id: itemId, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!item) throw notFound('Knowledge item', itemId);
      if (item.sensitive !== sensitive) {
        item.sensitive = sensitive;
        await items.save(item);
        await recordEvents(tx, [{ workspaceId, type: 'knowledge_sensitivity_changed', payload: { knowledgeItemId: item.id, topic: item.topic, sensitive, actor } }]);
      }
      return item;
    });
  }

  /** Marks or unmarks a topic; returns the workspace's sensitive topics after the change. */
  async markTopic(workspaceId: string, topic: string, sensitive: boolean, actor: string): Promise<string[]> {
    const name = topic.trim();
    if (name.length === 0) throw badInput('topic must not be empty or blank');
    if (name.length > MAX_TOPIC_LENGTH) throw badInput(`topic is ${name.length} characters; at most ${MAX_TOPIC_LENGTH} are allowed`);
    await this.db.transaction(async (tx) => {
      const changed: unknown[] = sensitive
        ? await tx.query(
            `INSERT INTO knowledge.sensitive_topics (workspace_id, topic, marked_by) VALUES ($1, $2, $3) ON CONFLICT (workspace_id, topic) DO NOTHING RETURNING topic`,
            [workspaceId, name, actor],
          )
        : await tx.query(`DELETE FROM knowledge.sensitive_topics WHERE workspace_id = $1 AND topic = $2 RETURNING topic`, [workspaceId, name]);
      if (changed.length > 0) await recordEvents(tx, [{ workspaceId, type: 'knowledge_sensitivity_changed', payload: { topic: name, sensitive, actor } }]);
    });
    return this.topics(workspaceId);
  }

  async topics(workspaceId: string): Promise<string[]> {
    const rows: Array<{ topic: string }> = await this.db.query(`SELECT topic FROM knowledge.sensitive_topics WHERE workspace_id = $1 ORDER BY topic`, [workspaceId]);
    return rows.map((r) => r.topic);
  }
}
