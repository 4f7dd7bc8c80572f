// Memo of evaluated identity flags: the serialized flags of one identity under one environment view (as references to
// the view's per-flag JSON strings), keyed by
// everything the evaluation reads (the view, the key kind, the identifier, the stored identity id and every trait's
// key and encoded value). Evaluation is a pure function of those, so a hit is exactly what evaluating again would
// give; a new view (any change to the environment) starts with no entries, and changed traits give another key.
// Repeated identify calls of the same user with the same traits, the common case, skip the engine and the JSON
// serialization. The memo is process-wide, least-recently-used, and bounded by an estimate of the bytes it holds.
import { encodeTraitValue, type TraitValue } from '../../domain/traits';

/** Bytes the memo keeps at most: keys as UTF-16, 8 bytes per flag reference and an entry overhead (~1 KB per identity). */
export const FLAGS_MEMO_BUDGET_BYTES = 16 * 1024 * 1024;

type Flags = readonly string[];

function sizeOf(key: string, value: Flags): number {
  return 2 * key.length + 8 * value.length + 96;
}

export class FlagsMemo {
  private readonly entries = new Map<string, Flags>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly budgetBytes = FLAGS_MEMO_BUDGET_BYTES) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Flags | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: Flags): void {
    const size = sizeOf(key, value);
    if (size > this.budgetBytes) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.bytes -= sizeOf(key, previous);
    }
    this.entries.set(key, value);
    this.bytes += size;
    for (const [oldKey, oldValue] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= sizeOf(oldKey, oldValue);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

export const flagsMemo = new FlagsMemo();

/** The memo key of one evaluation. `viewId` is unique per built view, so a rebuilt view never reads old entries. */
export function memoKey(viewId: number, kind: string, identifier: string, identityId: number | null, traits: ReadonlyArray<{ key: string; value: TraitValue }>): string {
  let key = `${viewId}\u0001${kind}\u0001${identityId ?? ''}\u0001${identifier}`;
  for (const t of traits) key += `\u0001${t.key}\u0000${encodeTraitValue(t.value)}`;
  return key;
}
