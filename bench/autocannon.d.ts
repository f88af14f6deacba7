// autocannon 9 ships no types; the harness uses only the call and the 'response' event.
declare module 'autocannon' {
  const autocannon: (opts: Record<string, unknown>) => Promise<{ errors: number }> & { on(event: 'response', fn: (...args: any[]) => void): void };
  export default autocannon;
}
