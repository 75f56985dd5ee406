/**
 * @internal A shallow snapshot of I/O handed to a setter: arrays, and the `messages` array of a
 * messages-shaped object, are copied, so the common "push the reply onto the same array right
 * after the call" does not change what was recorded before the span is serialised. Never throws: a
 * value that cannot be read (a revoked Proxy) is kept as it is, and the serialiser records why it
 * could not be read.
 */
export function snapshot<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  try {
    if (Array.isArray(value)) return value.slice() as T;
    const messages = (value as { messages?: unknown }).messages;
    if (Array.isArray(messages) && Object.getPrototypeOf(value) === Object.prototype)
      return { ...value, messages: messages.slice() };
  } catch {
    /* unreadable: recorded as a placeholder when serialised */
  }
  return value;
}
