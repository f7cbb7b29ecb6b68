/**
 * A min-heap of (due time, key): the backends without a live actor whose deadline will change
 * their state, so the registry keeps one timer for the soonest instead of one per backend.
 */
export class DeadlineQueue {
  private readonly heap: { due: number; key: string }[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(due: number, key: string): void {
    const heap = this.heap;
    heap.push({ due, key });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.due <= heap[i]!.due) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  peek(): { due: number; key: string } | undefined {
    return this.heap[0];
  }

  pop(): { due: number; key: string } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.due < heap[m]!.due) m = l;
        if (r < heap.length && heap[r]!.due < heap[m]!.due) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  }
}
