/**
 * Remembering a pure function's answers per string key, within a bound: callers ask with the same few thousand keys
 * over and over (time-zone spellings, words), but the keys come from users, so the memory is capped and simply
 * forgotten, all at once, when full (a key asked again is computed once more).
 */
export function boundedMemo<T>(compute: (key: string) => T, maxKeys: number): (key: string) => T {
  const remembered = new Map<string, T>();
  return (key) => {
    if (remembered.has(key)) return remembered.get(key) as T;
    const value = compute(key);
    if (remembered.size >= maxKeys) remembered.clear();
    remembered.set(key, value);
    return value;
  };
}
