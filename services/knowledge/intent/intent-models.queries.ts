/**
 * What the intent models read from knowledge's tables to catch up: each query takes the workspace, the time of the
 * last change seen and an overlap in ms (rows committed late with an earlier timestamp are still seen).
 */

/** Learned answers superseded (or whose succession the model knows, to notice it taken back). $3: known superseded ids. */
export const SUCCESSIONS_SQL = `
  SELECT i.id, s.id AS "successorId", i.updated_at AS at
    FROM knowledge.knowledge_items i
    LEFT JOIN knowledge.knowledge_items s ON s.id = i.superseded_by AND s.status = 'published'
   WHERE i.workspace_id = $1 AND i.kind = 'learned_answer' AND i.updated_at > $2::timestamptz - $4 * interval '1 millisecond'
     AND (i.superseded_by IS NOT NULL OR i.id = ANY($3::uuid[]))`;

/** Items archived since: the model forgets them. */
export const ARCHIVED_ITEMS_SQL = `
  SELECT id, updated_at AS at FROM knowledge.knowledge_items
   WHERE workspace_id = $1 AND status = 'archived' AND updated_at > $2::timestamptz - $3 * interval '1 millisecond'
   ORDER BY updated_at`;

/** Articles published or edited since, with the version whose text the model should know. */
export const ARTICLES_SQL = `
  SELECT id, version, title, body, updated_at AS at FROM knowledge.knowledge_items
   WHERE workspace_id = $1 AND kind = 'article' AND status = 'published' AND updated_at > $2::timestamptz - $3 * interval '1 millisecond'
   ORDER BY updated_at, id`;

/** Every question variant of one item (taught again when an edit starts the item afresh). */
export const ITEM_VARIANTS_SQL = `
  SELECT id, text, created_at AS at, asked_plan AS "askedPlan", asked_areas AS "askedAreas" FROM knowledge.question_variants
   WHERE workspace_id = $1 AND item_id = $2
   ORDER BY created_at, id`;

/**
 * Question variants learned since, credited to the answer that superseded theirs if any (with that answer's scope):
 * those of items not archived, and those of archived items a published answer superseded (they teach it, as in
 * retrieval's taught-question lookup).
 */
export const VARIANTS_SQL = `
  SELECT v.id, v.text, coalesce(s.id, v.item_id) AS "itemId", v.created_at AS at,
         coalesce(s.scope_plans, i.scope_plans) AS "scopePlans", coalesce(s.scope_areas, i.scope_areas) AS "scopeAreas",
         v.asked_plan AS "askedPlan", v.asked_areas AS "askedAreas"
    FROM knowledge.question_variants v
    JOIN knowledge.knowledge_items i ON i.id = v.item_id
    LEFT JOIN knowledge.knowledge_items s ON s.id = i.superseded_by AND s.status = 'published'
   WHERE v.workspace_id = $1 AND v.created_at > $2::timestamptz - $3 * interval '1 millisecond' AND (i.status <> 'archived' OR s.id IS NOT NULL)
   ORDER BY v.created_at, v.id`;

/** Moves the workspace's intent-model epoch (in the transaction of a change only a rebuild applies: a revert). */
export const MOVE_EPOCH_SQL = `
  INSERT INTO knowledge.intent_model_epochs (workspace_id, epoch) VALUES ($1, 1)
  ON CONFLICT (workspace_id) DO UPDATE SET epoch = intent_model_epochs.epoch + 1`;

/**
 * Read first by each catch-up: the workspace's epoch (0 without a row), the database's clock, and when the oldest
 * transaction of this service's database user still open began. Rows carry their transaction's start time
 * (now()), so one that commits later with an earlier time is seen by the next catch-up only if that looks back to
 * when it began (an import of a thousand articles takes seconds).
 */
export const CATCH_UP_MARKS_SQL = `
  SELECT coalesce((SELECT epoch FROM knowledge.intent_model_epochs WHERE workspace_id = $1), 0)::text AS epoch,
         now() AS "readAt",
         (SELECT min(xact_start) FROM pg_stat_activity
           WHERE datname = current_database() AND usename = current_user AND xact_start IS NOT NULL AND pid <> pg_backend_pid()) AS "oldestOpen"`;
