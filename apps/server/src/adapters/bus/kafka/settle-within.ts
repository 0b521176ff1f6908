/**
 * Waits for `work` to settle, but no longer than `ms`; says whether it settled. Shutdown uses it so a client stuck
 * on an unreachable broker cannot hold the process open (a failure while closing is as good as closed).
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
