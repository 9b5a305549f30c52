/**
 * Finds one cycle in a directed graph, returned as a path that starts and
 * ends on the same node (`[A, B, A]`), or undefined. Iterative, so a chain
 * of 10,000 tasks cannot overflow the stack.
 */
export function findCycle<T>(nodes: readonly T[], next: (node: T) => readonly T[]): T[] | undefined {
  const state = new Map<T, 'active' | 'done'>();
  for (const root of nodes) {
    if (state.has(root)) continue;
    const stack: { node: T; edges: readonly T[]; i: number }[] = [{ node: root, edges: next(root), i: 0 }];
    state.set(root, 'active');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.i >= frame.edges.length) {
        state.set(frame.node, 'done');
        stack.pop();
        continue;
      }
      const child = frame.edges[frame.i++]!;
      const seen = state.get(child);
      if (seen === 'active') {
        const from = stack.findIndex((f) => f.node === child);
        return [...stack.slice(from).map((f) => f.node), child];
      }
      if (seen === undefined) {
        state.set(child, 'active');
        stack.push({ node: child, edges: next(child), i: 0 });
      }
    }
  }
  return undefined;
}
