import type { Logger } from '../../core/ports/telemetry.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown> | undefined;
}

/** Logger that keeps entries in memory for assertions. */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, attributes?: Record<string, unknown>): void {
    this.entries.push({ level: 'debug', message, attributes });
  }

  info(message: string, attributes?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, attributes });
  }

  warn(message: string, attributes?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, attributes });
  }

  error(message: string, attributes?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, attributes });
  }

  /** Entries at one level. */
  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
}
