// What the SDKs should see now: the stored environment plus committed changes whose live_from has passed but that
// the scheduler has not written yet.
import type { Executor } from '../../store/rows';
import { loadEnvironmentSnapshot, type EnvironmentSnapshot } from '../../store/repositories/environment-snapshot';
import { overlayChanges } from '../workflows/overlay';

export async function loadEffectiveSnapshot(db: Executor, environmentId: number, now = new Date()): Promise<EnvironmentSnapshot | undefined> {
  const snapshot = await loadEnvironmentSnapshot(db, environmentId, now);
  if (snapshot) overlayChanges(snapshot, snapshot.pendingChanges, now);
  return snapshot;
}
