/**
 * The client's API types are derived from the server's response schemas (client/src/lib/types.ts imports them
 * as types only), so a schema that stops sending a field the client reads breaks `npm run typecheck`. This
 * test shows it: it type-checks the client (the same program `tsc -p client/tsconfig.json` builds) with
 * `requiresApproval` dropped from the resource schema in memory, and expects errors where pages read it.
 */
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCHEMA = join(ROOT, 'server', 'resources', 'schemas.ts');

function clientDiagnostics(rewrite: (path: string, text: string) => string): readonly ts.Diagnostic[] {
  const configPath = join(ROOT, 'client', 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) })!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => {
    const text = readFile(path);
    return text === undefined ? text : rewrite(resolve(path), text);
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  return ts.getPreEmitDiagnostics(program);
}

describe('client types follow the server schemas', () => {
  it('a response schema that drops a field the client reads fails the client typecheck', () => {
    const dropped = clientDiagnostics((path, text) => {
      if (path !== SCHEMA) return text;
      const changed = text.replace(/^ {2}requiresApproval: Type\.Boolean\(\),$/m, '');
      assert.notEqual(changed, text, 'the resource schema no longer declares requiresApproval as the test expects');
      return changed;
    });
    const messages = dropped.map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    const reads = messages.filter((m) => m.includes('client/src/') && m.includes("'requiresApproval'"));
    assert.ok(reads.length >= 2, `expected the pages reading requiresApproval to fail, got:\n${messages.slice(0, 10).join('\n')}`);
  });
});
