import { describe, it, expect } from '@jest/globals';
import { decodeCheckpoint, encodeCheckpoint, notCheckpointable } from '../../src/state/checkpoint-codec.js';

const roundTrip = (value: unknown) => decodeCheckpoint(encodeCheckpoint(value));

describe('typed checkpoint JSON', () => {
  it('restores rows with Date, bigint, Buffer, nested rows, null and undefined with their types', () => {
    const rows = [
      { id: 9007199254740993n, at: new Date('2026-01-02T03:04:05.678Z'), blob: Buffer.from([0, 1, 255]), tags: ['a', 'b'], nested: [{ x: 1, y: null, z: undefined }] },
      { id: -1n, at: new Date(NaN), blob: Buffer.alloc(0), tags: [], nested: [] },
    ];
    const back = roundTrip(rows) as typeof rows;
    // Same encoding, and the same types (Jest's toEqual cannot compare Buffers across its module realms).
    expect(encodeCheckpoint(back)).toBe(encodeCheckpoint(rows));
    expect(back[0]!.blob.equals(Buffer.from([0, 1, 255]))).toBe(true);
    expect(back[0]!.at.getTime()).toBe(Date.parse('2026-01-02T03:04:05.678Z'));
    expect(typeof back[0]!.id).toBe('bigint');
    expect(back[0]!.at).toBeInstanceOf(Date);
    expect(Number.isNaN(back[1]!.at.getTime())).toBe(true);
    expect(Buffer.isBuffer(back[0]!.blob)).toBe(true);
    expect('z' in back[0]!.nested[0]!).toBe(true);
  });

  it('keeps numbers JSON cannot hold, and objects that look like its tags', () => {
    expect(roundTrip([NaN, Infinity, -Infinity])).toEqual([NaN, Infinity, -Infinity]);
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(roundTrip({ $t: 'date', v: 'not a date' })).toEqual({ $t: 'date', v: 'not a date' });
    const proto = roundTrip(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(roundTrip('s3://bucket/key.csv')).toBe('s3://bucket/key.csv');
    expect(roundTrip(undefined)).toBeUndefined();
  });

  it('refuses what cannot be restored exactly, naming it', () => {
    expect(notCheckpointable(new Map())).toBe('a Map');
    expect(notCheckpointable([{ a: () => 1 }])).toBe('a function');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(notCheckpointable(loop)).toBe('a value that refers to itself');
    expect(notCheckpointable({ shared: [1], again: [1] })).toBeUndefined();
  });

  it('a changed or foreign file is an error, never a value', () => {
    expect(() => decodeCheckpoint('{"rows": []}')).toThrow('not a bigrays checkpoint');
    expect(() => decodeCheckpoint('{"v":1,"value":')).toThrow();
  });
});
