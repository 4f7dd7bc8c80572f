// A tiny cache for lists the shell shows on every screen (organisations, a project, its environments), so moving
// between screens does not refetch them; writes call invalidate().
const entries = new Map<string, Promise<unknown>>();

export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let hit = entries.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    entries.set(key, hit);
    hit.catch(() => entries.delete(key));
  }
  return hit;
}

export function invalidate(prefix = ''): void {
  for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
}
