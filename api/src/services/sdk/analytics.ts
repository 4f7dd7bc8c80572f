// SDK evaluation counts (v1 and v2), kept as counts per feature per day. Unknown names and bad counts are skipped,
// as Core does, so an SDK never gets an error from flushing its analytics.
import type { Store } from '../../store/store';
import { addEvaluationCounts } from '../../store/repositories/analytics';
import type { EnvironmentView } from './environment-view';

function countsByFeatureId(view: EnvironmentView, pairs: Array<[unknown, unknown]>): Map<number, number> {
  const idsByName = new Map(view.snapshot.features.map((f) => [f.name, f.id]));
  const counts = new Map<number, number>();
  for (const [name, count] of pairs) {
    if (typeof name !== 'string' || typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0) continue;
    const id = idsByName.get(name);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + count);
  }
  return counts;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function recordAnalyticsV1(store: Store, view: EnvironmentView, body: unknown): Promise<void> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const counts = countsByFeatureId(view, Object.entries(body));
  if (counts.size > 0) await addEvaluationCounts(store.db, view.environmentId, today(), counts);
}

export async function recordAnalyticsV2(store: Store, view: EnvironmentView, body: unknown): Promise<void> {
  const evaluations = (body as { evaluations?: unknown } | null)?.evaluations;
  if (!Array.isArray(evaluations)) return;
  const pairs = evaluations
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => [e.feature_name, e.count] as [unknown, unknown]);
  const counts = countsByFeatureId(view, pairs);
  if (counts.size > 0) await addEvaluationCounts(store.db, view.environmentId, today(), counts);
}
