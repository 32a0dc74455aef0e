// A discrete-event queue on virtual time: a binary min-heap ordered by (time, sequence), so
// events due at the same instant run in the order they were scheduled (stable ties).

export interface ScheduledTask {
  readonly id: number;
  readonly time: number;
  readonly seq: number;
  /** Background tasks (heartbeats, auto-commit timers) do not keep a run alive. */
  readonly background: boolean;
  readonly run: () => void | Promise<void>;
  cancelled: boolean;
}

export class EventQueue {
  #heap: ScheduledTask[] = [];
  #seq = 0;
  #foreground = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Tasks that are not background and not cancelled. */
  get foreground(): number {
    return this.#foreground;
  }

  push(time: number, run: () => void | Promise<void>, background: boolean): ScheduledTask {
    const seq = this.#seq++;
    const task: ScheduledTask = {id: seq, time, seq, background, run, cancelled: false};
    const heap = this.#heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(task, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = task;
    if (!background) this.#foreground++;
    return task;
  }

  cancel(task: ScheduledTask): void {
    if (task.cancelled) return;
    task.cancelled = true;
    if (!task.background) this.#foreground--;
  }

  peek(): ScheduledTask | undefined {
    this.#dropCancelled();
    return this.#heap[0];
  }

  pop(): ScheduledTask | undefined {
    this.#dropCancelled();
    const task = this.#popRaw();
    if (task && !task.background) this.#foreground--;
    return task;
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#heap[0].cancelled) this.#popRaw();
  }

  #popRaw(): ScheduledTask | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      const n = heap.length;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        let m = -1;
        let best = last;
        if (l < n && before(heap[l], best)) (m = l), (best = heap[l]);
        if (l + 1 < n && before(heap[l + 1], best)) (m = l + 1), (best = heap[l + 1]);
        if (m < 0) break;
        heap[i] = heap[m];
        i = m;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: ScheduledTask, b: ScheduledTask): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
