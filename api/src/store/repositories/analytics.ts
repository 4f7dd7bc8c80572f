import type { Executor } from '../rows';

/** Adds evaluation counts per feature for one UTC day; the row is created on first use. */
export async function addEvaluationCounts(db: Executor, environmentId: number, day: string, counts: Map<number, number>): Promise<void> {
  for (const [featureId, count] of counts) {
    // Update first, insert if nothing was there: portable across engines without dialect-specific upserts.
    const updated = await db
      .updateTable('feature_evaluation_counts')
      .set((eb) => ({ count: eb('count', '+', count) }))
      .where('environment_id', '=', environmentId)
      .where('feature_id', '=', featureId)
      .where('day', '=', day)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      try {
        await db.insertInto('feature_evaluation_counts').values({ environment_id: environmentId, feature_id: featureId, day, count }).execute();
      } catch {
        // Another writer inserted the row between our update and insert: add to it instead.
        await db
          .updateTable('feature_evaluation_counts')
          .set((eb) => ({ count: eb('count', '+', count) }))
          .where('environment_id', '=', environmentId)
          .where('feature_id', '=', featureId)
          .where('day', '=', day)
          .execute();
      }
    }
  }
}

export async function listEvaluationCounts(db: Executor, environmentId: number, featureId: number, fromDay: string) {
  const rows = await db
    .selectFrom('feature_evaluation_counts')
    .select(['day', 'count'])
    .where('environment_id', '=', environmentId)
    .where('feature_id', '=', featureId)
    .where('day', '>=', fromDay)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: r.day.trim(), count: Number(r.count) }));
}
