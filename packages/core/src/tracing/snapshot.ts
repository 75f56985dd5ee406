/**
 * @internal A shallow snapshot of I/O handed to a setter: arrays, and the `messages` array of a
 * messages-shaped object, are copied, so the common "push the reply onto the same array right
 * after the call" does not change what was recorded before the span is serialised.
 */
export function snapshot<T>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  if (value && typeof value === "object") {
    const messages = (value as { messages?: unknown }).messages;
    if (Array.isArray(messages) && Object.getPrototypeOf(value) === Object.prototype)
      return { ...value, messages: messages.slice() };
  }
  return value;
}
