// Prints the plain closing line CI reads ("N passed, N failed, N skipped"), after jest's own summary,
// and each suite's wall time, slowest first, so CI's time budget can be read per suite.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const times = results.testResults
      .map((r) => ({ file: r.testFilePath.replace(process.cwd() + "/", ""), s: (r.perfStats.end - r.perfStats.start) / 1000 }))
      .sort((a, b) => b.s - a.s);
    for (const t of times) process.stdout.write(`[suite time] ${t.s.toFixed(1).padStart(7)} s  ${t.file}\n`);
    process.stdout.write(`${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
