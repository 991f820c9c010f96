// Lint Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support).
//
// stdin:  JSON array of {"name": str, "query": str, "parameters": {name: value, ...}}
// stdout: JSON array of {"name", "severity", "message", "line"} diagnostics, one per finding,
//         in input order (severity 1 = error, 2 = warning; line is 1-based in the statement).
//
// One node process lints every statement. Neo4j's semantic analysis costs ~60 ms a statement,
// so the statements are shared out to one worker thread per core (at least 8 statements each).
// Used by tests/graph/test_cypher_lint.py; install with `npm ci --prefix tests/cypher_lint`.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const MIN_PER_WORKER = 100000;

async function lintAll(statements) {
  const { lintCypherQuery } = await import('@neo4j-cypher/language-support');
  const out = [];
  for (const { name, query, parameters = {} } of statements) {
    // Signature: lintCypherQuery(query, dbSchema, options) -> {diagnostics, symbolTables}.
    // Parameters are declared in the DbSchema: any $param not declared there is an error.
    // No labels, functions or procedures are given, so none is checked against a database.
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
  return out;
}

function runWorker(chunk) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: chunk });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`lint worker exited with code ${code}`));
    });
  });
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

if (isMainThread) {
  const statements = JSON.parse(await readStdin());
  if (!Array.isArray(statements)) {
    throw new TypeError('expected a JSON array of {name, query, parameters}');
  }
  const workers = Math.max(
    1,
    Math.min(availableParallelism(), Math.floor(statements.length / MIN_PER_WORKER)),
  );
  let results;
  if (workers === 1) {
    results = await lintAll(statements);
  } else {
    const size = Math.ceil(statements.length / workers);
    const chunks = [];
    for (let i = 0; i < statements.length; i += size) chunks.push(statements.slice(i, i + size));
    results = (await Promise.all(chunks.map(runWorker))).flat();
  }
  process.stdout.write(JSON.stringify(results));
} else {
  parentPort.postMessage(await lintAll(workerData));
}
