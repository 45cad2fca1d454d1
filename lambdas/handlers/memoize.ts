/** A thunk that builds its value on the first call and returns that same value afterwards. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/** Memoizes per key; a rejected promise is forgotten so the next invocation tries again. */
export function memoizeByKey<K, T>(build: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const cache = new Map<K, Promise<T>>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = build(key);
      cache.set(key, value);
      value.catch(() => cache.delete(key));
    }
    return value;
  };
}
