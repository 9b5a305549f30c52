import { describe, it, expect, beforeEach } from '@jest/globals';
import { Task, Input, resetJobs, TaskInterfaceError, DecoratorError } from '@bigrays/core';
import { buildPlan } from '@bigrays/core/testing';
import { SQLWrite } from '@bigrays/sql';
import { ToS3 } from '@bigrays/aws';

/** Issue 14, item 3: attributes and options a Python user ports are plan errors naming the TypeScript name. */
beforeEach(() => resetJobs());

describe('Python names are caught at plan time (item 3)', () => {
  it('ToS3.overwrite_if_exists, SQLWrite.tablename / if_exists / pandas options, run_with_exceptions, required_resource', () => {
    @Task() class Rows { run() { return [{ a: 1 }]; } }
    @Task() class Upload extends ToS3 { @Input(Rows) input!: unknown; bucket = 'b'; key = 'k'; overwrite_if_exists = true; }
    @Task() class Save extends SQLWrite { @Input(Rows) input!: unknown; table = 't'; tablename = 't'; if_exists = 'replace'; index = false; }
    @Task() class Alert { run_with_exceptions = true; required_resource = null; server_side_encryption = 'x'; run() {} }
    void Upload;
    void Save;
    void Alert;
    let error: unknown;
    try {
      buildPlan();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaskInterfaceError);
    const message = (error as Error).message;
    expect(message).toContain('Upload.overwrite_if_exists is a Python bigrays name that bigrays for TypeScript would ignore: write overwrite = true');
    expect(message).toContain("Save.tablename is a Python bigrays name that bigrays for TypeScript would ignore: write table = '...'");
    expect(message).toContain("Save.if_exists is a Python bigrays name that bigrays for TypeScript would ignore: write ifExists = 'fail' | 'append' | 'replace'");
    expect(message).toContain('Save.index is a Python bigrays name');
    expect(message).toContain('Alert.run_with_exceptions is a Python bigrays name that bigrays for TypeScript would ignore: use @Task({ runWithExceptions: true })');
    expect(message).toContain('Alert.required_resource is a Python bigrays name that bigrays for TypeScript would ignore: use @Requires(ResourceClass) on the class');
  });

  it('a snake_case attribute whose camelCase the task knows is named', () => {
    @Task() class Upload extends ToS3 { input = 'x'; bucket = 'b'; key = 'k'; server_side_encryption = 'aws:kms'; }
    void Upload;
    expect(() => buildPlan()).toThrow('Upload.server_side_encryption is a Python bigrays name that bigrays for TypeScript would ignore: write serverSideEncryption = ...');
  });

  it('a snake_case @Task option fails at definition with the camelCase name', () => {
    expect(() => {
      @Task({ run_with_exceptions: true } as never) class Alert { run() {} }
      void Alert;
    }).toThrow(new DecoratorError("@Task() on Alert: unknown option 'run_with_exceptions' (a Python name): write runWithExceptions"));
  });

  it('ordinary snake_case fields of a custom task are left alone', () => {
    @Task() class Mine { batch_size = 10; run() { return this.batch_size; } }
    void Mine;
    expect(() => buildPlan()).not.toThrow();
  });
});
