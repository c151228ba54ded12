import Foundation

/// Writes a run's `words.tsv` and request shards, streaming: lines are built on all cores a chunk at a time and
/// written straight to the shard they fall into, so memory stays flat whatever the number of words.
enum RunWriter {
  struct Result {
    var shards: [ShardRecord]
    var estimate: CostEstimate
  }

  /// Words built together on all cores.
  static let chunkSize = 4096

  static func write(
    _ words: [RunWord], corpusWords: [[String]], into folder: RunFolder, builder: RequestBuilder,
    limits: ShardLimits, calibration: Calibration, pricesDate: String, context: WordbenchContext
  ) throws -> Result {
    try writeWords(words, corpusWords: corpusWords, to: folder.url.appendingPathComponent(Prepare.wordsFileName))
    // The run keeps the schema its requests carry, so merge validates against it even after the template changes.
    try AtomicFile.write(
      Data(builder.schema.compactJSON.utf8), to: folder.url.appendingPathComponent(EntrySchema.fileName))
    let requests = folder.url.appendingPathComponent("requests")
    try POSIXFile.createDirectory(requests)
    var sharder = Sharder(limits: limits)
    var writer: BufferedFileWriter?
    var inputTokens = 0
    let chunks = stride(from: 0, to: words.count, by: chunkSize).map {
      Array(words[$0..<min(words.count, $0 + chunkSize)])
    }
    var done = 0
    let build: @Sendable (RunWord) -> BuiltRequest = { builder.build($0, run: folder.id) }
    try Parallel.pipeline(chunks, transform: build) { chunk, built in
      for (word, request) in zip(chunk, built) {
        let shard: Int
        do {
          shard = try sharder.add(bytes: request.byteCount, inputTokens: request.inputTokens)
        } catch {
          throw RequestError.noWords(
            reason: "the request for \"\(word.word)\" alone (\(request.byteCount) bytes, \(request.inputTokens) "
              + "input tokens) is over a shard limit (\(limits.bytes) bytes, \(limits.inputTokens) tokens); raise "
              + "[limits] max_shard_mb or [models] max_shard_input_tokens")
        }
        if shard == sharder.shards.count - 1 && sharder.shards[shard].lines == 1 {
          try finish(writer)
          writer = try BufferedFileWriter(
            creating: folder.url.appendingPathComponent(ShardRecord.fileName(shard + 1)))
        }
        try writer!.write(request.start)
        try writer!.write(request.shared)
        inputTokens += request.inputTokens
      }
      done += chunk.count
      context.progress.progress(
        ProgressEvent(
          task: "building requests", completed: Int64(done), total: Int64(words.count), unit: "words",
          finished: done == words.count))
    }
    try finish(writer)
    try POSIXFile.syncDirectory(requests)
    let perEntry = calibration.outputTokensPerEntry(builder.rules)
    let shards = sharder.shards.enumerated().map { index, size in
      let output = size.lines * perEntry.tokens
      return ShardRecord(
        index: index + 1, file: ShardRecord.fileName(index + 1), lines: size.lines, bytes: size.bytes,
        inputTokens: size.inputTokens, estimatedOutputTokens: output,
        estimatedCostUSD: builder.rules.cost(inputTokens: size.inputTokens, outputTokens: output))
    }
    let estimate = CostEstimate(
      rules: builder.rules, pricesDate: pricesDate, words: words.count, inputTokens: inputTokens,
      outputPerEntry: perEntry)
    return Result(shards: shards, estimate: estimate)
  }

  private static func finish(_ writer: BufferedFileWriter?) throws {
    guard let writer else { return }
    try writer.sync()
    writer.close()
  }

  /// `index<TAB>word<TAB>lemma<TAB>corpus word...`: the run's words, one per line, in `custom_id` order.
  static func writeWords(_ words: [RunWord], corpusWords: [[String]], to url: URL) throws {
    try AtomicFile.stream(to: url) { writer in
      for (word, covered) in zip(words, corpusWords) {
        try writer.write(([String(word.index), word.word, word.lemma] + covered).joined(separator: "\t") + "\n")
      }
    }
  }

  /// A run's words as `writeWords` wrote them.
  static func readWords(_ folder: RunFolder) throws -> [(word: RunWord, corpusWords: [String])] {
    let url = folder.url.appendingPathComponent(Prepare.wordsFileName)
    var words: [(RunWord, [String])] = []
    try LineReader(url: url).forEachLine { number, line in
      guard case .bytes(let bytes) = line, !bytes.isEmpty else { return }
      // Split as bytes: a tab is never part of a UTF-8 sequence, and splitting a String walks its characters.
      let fields = bytes.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
      }
      guard fields.count >= 3, let index = Int(fields[0]) else {
        throw WorkspaceError.invalidManifest(
          path: "\(url.path):\(number)", reason: "not an index<TAB>word<TAB>lemma line")
      }
      words.append((RunWord(index: index, word: fields[1], lemma: fields[2]), Array(fields.dropFirst(3))))
    }
    return words
  }
}

extension ShardRecord {
  /// The custom_ids of this shard's requests. Shards hold consecutive words of `words.tsv` in order, so the ids follow
  /// from the line counts of the shards before it, without reading the request file.
  func customIDs(in shards: [ShardRecord], run: RunID) -> [String] {
    requestNumbers(in: shards).map { RunWord(index: $0, word: "", lemma: "").customID(run: run) }
  }

  /// The numbers (1-based lines of `words.tsv`) of this shard's requests.
  func requestNumbers(in shards: [ShardRecord]) -> Range<Int> {
    let start = shards.filter { $0.index < index }.reduce(0) { $0 + $1.lines }
    return start + 1..<start + 1 + lines
  }
}
