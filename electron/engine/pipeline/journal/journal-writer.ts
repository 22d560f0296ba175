import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { JournalRecord } from './journal-records';

interface Pending {
  line: string;
  durable: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Append-only NDJSON journal with group commit: records appended while a write is in progress go
 * out together, and one fdatasync covers every durable record in the group. So a stage
 * completion is on disk before its promise resolves, without one fsync per record.
 */
export class JournalWriter {
  private handle: FileHandle | null = null;
  private pending: Pending[] = [];
  private writing: Promise<void> | null = null;
  private closed = false;

  constructor(readonly file: string) {}

  private async open(): Promise<FileHandle> {
    if (!this.handle) {
      await mkdir(path.dirname(this.file), { recursive: true });
      this.handle = await open(this.file, 'a');
    }
    return this.handle;
  }

  /** Appends a record; with `durable`, resolves only once it is fsynced. */
  append(record: JournalRecord, options: { durable?: boolean } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`Journal ${this.file} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        line: `${JSON.stringify(record)}\n`,
        durable: options.durable ?? false,
        resolve,
        reject,
      });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        try {
          const handle = await this.open();
          await handle.write(group.map((p) => p.line).join(''));
          if (group.some((p) => p.durable)) await handle.datasync();
          for (const p of group) p.resolve();
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      this.writing = null;
    }
  }

  /** Waits for pending writes and closes the file; a later append opens it again. */
  async release(): Promise<void> {
    while (this.writing) await this.writing;
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.release();
  }
}
