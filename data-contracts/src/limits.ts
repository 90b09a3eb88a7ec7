// Limits in one place (docs/contracts.md "Size", docs/interfaces.md). Nothing else restates these numbers.
export const LIMITS = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxCadres: 1000,
  maxInitiatives: 200,
  maxCount: 10_000_000,
  maxTitleLength: 300,
  maxPositionLength: 120,
  maxNestingDepth: 12,
  minBirthYear: 1940,
  /** A cadre is at least this old in the report year. */
  minCadreAge: 16,
  sqlMaxRows: 10_000,
  sqlTimeoutMs: 10_000,
  /**
   * The analysts' deadline on Athena: a query waits in Athena's queue before it runs (seconds at busy times), and
   * the answer must be back inside the HTTP API's 30 s integration limit (the function itself stops at 29 s).
   */
  sqlTimeoutMsAthena: 25_000,
  /** Bytes of one analyst answer (about its JSON size): larger answers are refused, not truncated mid-value. */
  sqlMaxResultBytes: 8 * 1024 * 1024,
  /** Memory an analyst query may take in the analysts' database, beyond what its tables hold. */
  sqlMemoryHeadroomMb: 256,
  /**
   * Memory the analysts' process (local server) may hold beyond what it held once its database was loaded: past
   * this the server stops it (the statement gets sql_out_of_memory) and starts a fresh one for the next. DuckDB's
   * memory_limit counts only its buffer manager's memory; this bounds the whole process.
   */
  sqlProcessHeadroomMb: 512,
  /** Threads of the analysts' database: one core, whatever an analyst writes. */
  sqlThreads: 1,
  /** Characters of one analyst SQL text, checked before it is parsed (a parser's time grows with the text). */
  sqlMaxTextChars: 20_000,
  idempotencyTtlMs: 24 * 60 * 60 * 1000,
  martDebounceMs: 250,
  writeRateLimitPerMinute: 120,
  /** Local demo sign-ins per minute, all callers together (a person signs in a few times a day). */
  signInRatePerMinute: 30,
} as const;
