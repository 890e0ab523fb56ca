/** Orders strings by UTF-16 code unit, as ClickHouse's ORDER BY orders ASCII text (not by locale), so JS sorts match SQL ones. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
