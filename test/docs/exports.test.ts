import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname;

/** Every name src/index.ts exports, with the doc comment of its declaration. */
function exportedDocs(): { name: string; summary: string; hasExample: boolean }[] {
  const program = ts.createProgram([ENTRY], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  if (source === undefined) {
    throw new Error(`cannot read ${ENTRY}`);
  }
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) {
    throw new Error('src/index.ts has no exports');
  }

  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const hasExample = symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');
    return { name: exported.getName(), summary, hasExample };
  });
}

describe('public exports', () => {
  const docs = exportedDocs();

  it('exist', () => {
    expect(docs.length).toBeGreaterThan(30);
  });

  it('all have a summary', () => {
    expect(docs.filter((doc) => doc.summary === '').map((doc) => doc.name)).toEqual([]);
  });

  it('all have an example', () => {
    expect(docs.filter((doc) => !doc.hasExample).map((doc) => doc.name)).toEqual([]);
  });
});
