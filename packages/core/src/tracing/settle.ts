/**
 * @internal Runs `fn` and calls `onOk`/`onErr` when it settles, returning exactly what `fn`
 * returned (the same promise object, so subclasses like OpenAI's APIPromise keep their methods)
 * and re-throwing exactly what it threw.
 */
export function runSettled<T>(fn: () => T, onOk: (value: unknown) => void, onErr: (error: unknown) => void): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    onErr(error);
    throw error;
  }
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    try {
      (result as unknown as PromiseLike<unknown>).then(onOk, onErr);
    } catch (error) {
      onErr(error);
    }
  } else {
    onOk(result);
  }
  return result;
}
