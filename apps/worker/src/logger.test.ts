import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { graphileLogger } from './logger';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line)) };
  return { lines, logger: graphileLogger(pino({ level: 'debug' }, stream)) };
}

describe('graphileLogger', () => {
  it('writes a succeeded job at debug and a failed one as an error', () => {
    const { lines, logger } = capture();
    logger.info('Completed task 1 (verify_dns, 25.90ms) with success', { success: true });
    logger.error('Failed task 2 (send_outbox, 3.10ms, attempt 1 of 3) with error', { failure: true });
    logger.info('Worker connected and looking for jobs...');
    expect(lines.map((line) => [line.level, line.msg.split(' (')[0]])).toEqual([
      [20, 'Completed task 1'],
      [50, 'Failed task 2'],
      [30, 'Worker connected and looking for jobs...'],
    ]);
  });

  it('writes a lost database connection as a warning', () => {
    const { lines, logger } = capture();
    logger.error('Connection lost', { error: Object.assign(new Error('terminating'), { code: '57P01' }) });
    expect(lines.map((line) => line.level)).toEqual([40]);
  });
});
