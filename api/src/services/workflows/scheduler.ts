// The scheduler publishes committed changes whose live_from has come. Each request is claimed with a conditional
// update inside its own transaction, so two schedulers running at once publish every change exactly once.
import type { Actor } from '../../domain/actor';
import type { Store } from '../../store/store';
import { listUnpublished } from '../../store/repositories/change-requests';
import { publishChangeRequest } from './publish';

const SCHEDULER: Actor = { type: 'system', name: 'scheduler' };

/** One pass: publishes every due change; returns how many this pass published. */
export async function publishDueChanges(store: Store, now = new Date()): Promise<number> {
  const due = await listUnpublished(store.db, { dueBy: now });
  let published = 0;
  for (const cr of due) {
    if (await store.write(SCHEDULER, (w) => publishChangeRequest(w, cr, now))) published++;
  }
  return published;
}

export interface SchedulerLoopOptions {
  intervalMs: number;
  signal: AbortSignal;
  onPass?: (published: number) => void;
  onError?: (error: unknown) => void;
}

/** Runs passes until the signal aborts (containers); function schedulers call publishDueChanges once instead. */
export async function runScheduler(store: Store, options: SchedulerLoopOptions): Promise<void> {
  while (!options.signal.aborted) {
    try {
      options.onPass?.(await publishDueChanges(store));
    } catch (error) {
      options.onError?.(error);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      options.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
}
