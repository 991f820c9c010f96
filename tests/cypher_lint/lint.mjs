// Lint Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support).
//
// stdin:  JSON array of {"name": str, "query": str, "parameters": {name: value, ...}}
// stdout: JSON array of {"name", "severity", "message", "line"} diagnostics, one per finding,
//         in input order (severity 1 = error, 2 = warning; line is 1-based in the statement).
//
// One node process lints every statement, so the linter is loaded and warmed up once.
// Used by tests/graph_layer/test_cypher_lint.py; install with `npm ci --prefix tests/cypher_lint`.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const statements = JSON.parse(await readStdin());
if (!Array.isArray(statements)) {
  throw new TypeError('expected a JSON array of {name, query, parameters}');
}

const out = [];
for (const { name, query, parameters = {} } of statements) {
  // Signature: lintCypherQuery(query, dbSchema, options) -> {diagnostics, symbolTables}.
  // Parameters are declared in the DbSchema: any $param not declared there is an error.
  // No labels, functions or procedures are given, so none is checked against a database.
  // Cypher 5 is the language a Neo4j 5 server speaks by default.
  const dbSchema = { parameters, defaultLanguage: 'CYPHER 5' };
  const { diagnostics } = lintCypherQuery(query, dbSchema, { consoleCommandsEnabled: false });
  for (const d of diagnostics) {
    out.push({
      name,
      severity: d.severity,
      message: d.message,
      line: d.range ? d.range.start.line + 1 : null,
    });
  }
}
process.stdout.write(JSON.stringify(out));
