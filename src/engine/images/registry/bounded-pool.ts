// Runs jobs a few at a time (layer downloads and uploads). The first failure
// aborts the others and is rethrown once every started job has settled, so
// nothing is still writing into the store when the caller cleans up.

export async function runPool<T>(items: T[], limit: number, job: (item: T, signal: AbortSignal) => Promise<void>, outer?: AbortSignal): Promise<void> {
  const ctl = new AbortController();
  const onOuter = () => ctl.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure && !ctl.signal.aborted) {
      const item = items[next++]!;
      try {
        await job(item, ctl.signal);
      } catch (e) {
        failure ??= { error: e };
        ctl.abort(e);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  } finally {
    outer?.removeEventListener('abort', onOuter);
  }
  if (failure) throw failure.error;
  if (outer?.aborted) throw outer.reason instanceof Error ? outer.reason : new Error('aborted');
}
