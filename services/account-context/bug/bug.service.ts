/** Bugs from the workspace's bug tracker: kept in step with tracker events, read by agents and the answerer. */
import { DataSource, EntityManager, Repository } from 'typeorm';
import { keysetCursor, cursorPart, KeyedRow, keyedRows, pageOf } from '../../shared/keyset-cursor';
import { DomainEvent, recordEvents } from '../../shared/outbox';
import { sameValue } from '../customer/profile-patch';
import { BugEntity, BugStatusValue } from './bug.entity';

/** A bug as the tracker last described it. */
export interface BugChange {
  source: string;
  externalId: string;
  title: string;
  status: BugStatusValue;
  productAreas: string[];
  accountExternalIds: string[];
  url: string | null;
  openedAt: Date;
  closedAt: Date | null;
  /** When the tracker event happened: trackers retry failed deliveries, so events can arrive out of order. */
  eventAt?: Date;
}

/** stale: an event older than the one the bug was last written from, delivered late; nothing changes. */
export type BugOutcome = 'opened' | 'reopened' | 'closed' | 'updated' | 'unchanged' | 'stale';

export interface OpenBugsFilter {
  accountExternalId?: string;
  productArea?: string;
}

export interface BugPage {
  rows: KeyedRow<BugEntity>[];
  hasNextPage: boolean;
}

/** A page of open bugs ends at its last bug's (opened_at, id). */
const bugCursor = keysetCursor([cursorPart.timestamp, cursorPart.uuid]);
export const encodeBugCursor = ({ row, sortKey }: KeyedRow<BugEntity>): string => bugCursor.encode([sortKey, row.id]);

const TRACKED_FIELDS = ['title', 'status', 'productAreas', 'accountExternalIds', 'url', 'openedAt', 'closedAt'] as const;

export class BugService {
  private readonly bugs: Repository<BugEntity>;

  constructor(db: DataSource) {
    this.bugs = db.getRepository(BugEntity);
  }

  /** Creates or updates the bug inside the caller's transaction and records what changed. */
  async applyBugChange(tx: EntityManager, workspaceId: string, change: BugChange): Promise<{ bug: BugEntity; outcome: BugOutcome }> {
    const repository = tx.getRepository(BugEntity);
    const key = { workspaceId, source: change.source, externalId: change.externalId };
    const values = {
      title: change.title,
      status: change.status,
      productAreas: change.productAreas,
      accountExternalIds: change.accountExternalIds,
      url: change.url,
      openedAt: change.openedAt,
      closedAt: change.status === 'closed' ? change.closedAt : null,
      ...(change.eventAt ? { trackerEventAt: change.eventAt } : {}),
    };
    let bug = await repository.findOne({ where: key, lock: { mode: 'pessimistic_write' } });
    if (!bug) {
      const inserted = await repository.createQueryBuilder().insert().into(BugEntity).values({ ...key, ...values }).orIgnore().returning(['id']).execute();
      const insertedId = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (insertedId) {
        bug = await repository.findOneByOrFail({ id: insertedId });
        const outcome = bug.status === 'open' ? 'opened' : 'closed';
        await recordEvents(tx, [this.event(bug, outcome, [...TRACKED_FIELDS])]);
        return { bug, outcome };
      }
      // Another delivery created it between our read and insert: update the row it wrote.
      bug = await repository.findOneOrFail({ where: key, lock: { mode: 'pessimistic_write' } });
    }
    if (change.eventAt && bug.trackerEventAt && bug.trackerEventAt > change.eventAt) return { bug, outcome: 'stale' };
    const changed = TRACKED_FIELDS.filter((field) => !sameValue(bug![field], values[field]));
    if (changed.length === 0) {
      // Only the ordering mark moved: bookkeeping, not a change anyone needs to hear about.
      if (change.eventAt) await repository.update({ id: bug.id }, { trackerEventAt: change.eventAt });
      return { bug, outcome: 'unchanged' };
    }
    const outcome: BugOutcome = bug.status === values.status ? 'updated' : values.status === 'closed' ? 'closed' : 'reopened';
    Object.assign(bug, values);
    bug = await repository.save(bug);
    await recordEvents(tx, [this.event(bug, outcome, changed)]);
    return { bug, outcome };
  }

  /** Open bugs, newest first; the cursor is the last row's (opened_at, id). */
  async listOpen(workspaceId: string, filter: OpenBugsFilter, first: number, after?: string): Promise<BugPage> {
    const query = this.bugs
      .createQueryBuilder('b')
      .where('b.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`b.status = 'open'`)
      .orderBy('b.opened_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(first + 1);
    if (filter.accountExternalId !== undefined) query.andWhere(':account = ANY(b.account_external_ids)', { account: filter.accountExternalId });
    if (filter.productArea !== undefined) query.andWhere(':area = ANY(b.product_areas)', { area: filter.productArea });
    if (after) {
      const [openedAt, id] = bugCursor.decode(after);
      query.andWhere('(b.opened_at, b.id) < (:openedAt, :id)', { openedAt, id });
    }
    return pageOf(await keyedRows(query, 'opened_at'), first);
  }

  /**
   * Open bugs that name the account or share a product area with the page: the account's own bugs first,
   * then the newest.
   */
  async openBugsAffecting(workspaceId: string, accountExternalId: string | null, productAreas: string[], limit: number): Promise<BugEntity[]> {
    if (accountExternalId === null && productAreas.length === 0) return [];
    return this.bugs
      .createQueryBuilder('b')
      .where('b.workspace_id = :workspaceId', { workspaceId })
      .andWhere(`b.status = 'open'`)
      .andWhere('(b.account_external_ids @> ARRAY[:account]::text[] OR b.product_areas && :areas::text[])', {
        account: accountExternalId ?? '',
        areas: productAreas,
      })
      .orderBy('(b.account_external_ids @> ARRAY[:account]::text[])', 'DESC')
      .addOrderBy('b.opened_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  private event(bug: BugEntity, outcome: Exclude<BugOutcome, 'unchanged' | 'stale'>, changed: readonly string[]): DomainEvent {
    return {
      workspaceId: bug.workspaceId,
      type: `bug_${outcome}`,
      payload: {
        bugId: bug.id,
        source: bug.source,
        externalId: bug.externalId,
        status: bug.status,
        productAreas: bug.productAreas,
        accountExternalIds: bug.accountExternalIds,
        changed,
      },
    };
  }
}
