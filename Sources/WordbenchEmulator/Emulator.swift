import Foundation
import Synchronization
import WordbenchCore

/// An offline stand-in for OpenAI's Files and Batches API (design.md §7, batch-api-contract.md §13): files,
/// batches with their whole lifecycle on an emulated clock, results synthesized from WordNet, and seeded faults.
public final class Emulator: Sendable {
  public let config: EmulatorConfig
  let clock: EmulatorClock
  let synthesizer: Synthesizer
  /// Where file contents live: the data folder, or a temporary one.
  let filesFolder: URL
  private let stateURL: URL?
  private let temporaryFolder: URL?
  let state: Mutex<EmulatorState>
  private let requestCounter = Atomic<Int>(0)
  /// Faults injected so far: HTTP errors and dropped connections, and cut-short downloads (for the soak's report).
  private let httpFaults = Atomic<Int>(0)
  private let cutDownloads = Atomic<Int>(0)
  private let server: Mutex<EmulatorHTTPServer?> = Mutex(nil)

  public init(config: EmulatorConfig, lexicon: Lexicon) throws {
    self.config = config
    synthesizer = Synthesizer(
      lexicon: lexicon, tokenizer: try Tokenizer.bundled(), catalog: try ModelCatalog.bundled())
    var loaded = EmulatorState()
    if let directory = config.dataDirectory {
      do {
        try FileManager.default.createDirectory(
          at: directory.appendingPathComponent("files"), withIntermediateDirectories: true)
      } catch {
        throw EmulatorError.dataDirectory(path: directory.path, reason: "\(error)")
      }
      stateURL = directory.appendingPathComponent("state.json")
      filesFolder = directory.appendingPathComponent("files")
      temporaryFolder = nil
      if let data = try? Data(contentsOf: stateURL!) {
        guard let decoded = try? JSONDecoder().decode(EmulatorState.self, from: data) else {
          throw EmulatorError.dataDirectory(path: stateURL!.path, reason: "state.json is not the emulator's state")
        }
        loaded = decoded
      }
    } else {
      let temporary = FileManager.default.temporaryDirectory
      Self.removeFoldersOfEndedEmulators(in: temporary)
      let folder = temporary.appendingPathComponent("\(Self.folderPrefix)\(getpid())-\(UUID())")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      stateURL = nil
      filesFolder = folder
      temporaryFolder = folder
    }
    clock = EmulatorClock(speed: config.speed, start: loaded.savedAt)
    state = Mutex(loaded)
  }

  deinit { removeTemporaryFolder() }

  private func removeTemporaryFolder() {
    if let temporaryFolder { try? FileManager.default.removeItem(at: temporaryFolder) }
  }

  /// A temporary folder is named after its emulator's process: `wordbench-emulator-PID-UUID`.
  static let folderPrefix = "wordbench-emulator-"

  /// Removes the temporary folders of emulators whose process has ended without removing its own: killed with
  /// SIGKILL, say, as the tests and the benchmarks stop theirs. A folder whose process still runs is left alone.
  static func removeFoldersOfEndedEmulators(in directory: URL) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
    for name in names where name.hasPrefix(folderPrefix) {
      let rest = name.dropFirst(folderPrefix.count)
      guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0, pid != getpid() else {
        continue
      }
      if kill(pid, 0) != 0 && errno == ESRCH {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
      }
    }
  }

  /// Starts serving; returns the base URL (`http://127.0.0.1:PORT/v1`).
  @discardableResult
  public func start() throws -> String {
    let server = try EmulatorHTTPServer(host: config.host, port: config.port) { [self] request in
      handle(request)
    }
    self.server.withLock { $0 = server }
    return server.baseURL
  }

  /// The port it listens on, once started.
  public var port: UInt16 { server.withLock { $0?.port ?? 0 } }

  /// Stops serving for good: the server (whose handler holds the emulator) is let go, and a temporary folder with
  /// the uploaded and result files is removed. A data folder stays for the next emulator.
  public func stop() {
    let stopped = server.withLock { server in
      defer { server = nil }
      return server
    }
    stopped?.stop()
    removeTemporaryFolder()
  }

  // MARK: - Requests

  func handle(_ request: EmulatorRequest) -> EmulatorResponse {
    if request.path.hasPrefix("/_emulator/") { return control(request) }
    let number = requestCounter.add(1, ordering: .relaxed).newValue
    if let fault = httpFault(number, request) {
      httpFaults.add(1, ordering: .relaxed)
      return fault
    }
    let bearer = request.headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
    guard let key = bearer ?? request.headers["api-key"], !key.isEmpty else {
      return Self.error(
        401, "Incorrect API key provided. Pass it as `Authorization: Bearer KEY`.", code: "invalid_api_key")
    }
    let parts = request.path.split(separator: "/").map(String.init)
    guard parts.first == "v1" else { return Self.error(404, "Unknown path \(request.path)", code: "unknown_url") }
    let route = Array(parts.dropFirst())
    let id = route.count > 1 ? route[1] : ""
    switch (request.method, route.first ?? "", route.count, route.last ?? "") {
    case ("POST", "files", 1, _): return uploadFile(request)
    case ("GET", "files", 1, _): return listFiles(request)
    case ("GET", "files", 2, _): return withFile(id) { .json(200, $0.json) }
    case ("GET", "files", 3, "content"): return fileContent(id, request: request, number: number)
    case ("DELETE", "files", 2, _): return deleteFile(id)
    case ("POST", "batches", 1, _): return createBatch(request)
    case ("GET", "batches", 1, _): return listBatches(request)
    case ("GET", "batches", 2, _): return withBatch(id) { .json(200, $0) }
    case ("POST", "batches", 3, "cancel"): return cancelBatch(id)
    case ("GET", "organization", 3, "completions") where id == "usage": return usageBuckets(request)
    case ("GET", "organization", 2, "costs"): return costBuckets(request)
    default: return Self.error(404, "Unknown request \(request.method) \(request.path)", code: "unknown_url")
    }
  }

  /// The injected HTTP faults: dropped connections, and 429 (with Retry-After), 500 and 503 answers.
  private func httpFault(_ number: Int, _ request: EmulatorRequest) -> EmulatorResponse? {
    let paths = config.faults.httpFaultPaths
    guard paths.isEmpty || paths.contains(where: request.path.hasPrefix) else { return nil }
    var random = SeededRandom(seed: config.seed, "http-\(number)")
    if random.chance(config.faults.droppedConnections) { return EmulatorResponse(status: 0, fault: .dropConnection) }
    guard random.chance(config.faults.httpErrors) else { return nil }
    switch random.next() % 3 {
    case 0:
      var response = Self.error(429, "Rate limit reached; please retry after 1 second.", code: "rate_limit_exceeded")
      response.headers.append(("Retry-After", "1"))
      return response
    case 1: return Self.error(500, "The server had an error processing your request.", code: "server_error")
    default: return Self.error(503, "The engine is currently overloaded.", code: "service_unavailable")
    }
  }

  /// Test hooks: `POST /_emulator/advance?seconds=N` moves emulated time; `GET /_emulator/state` counts objects.
  private func control(_ request: EmulatorRequest) -> EmulatorResponse {
    switch request.path {
    case "/_emulator/advance":
      clock.advance(seconds: Double(request.query["seconds"] ?? "0") ?? 0)
      return .json(200, .object(["now": .number(clock.now().rounded())]))
    case "/_emulator/state":
      return state.withLock { state in
        .json(
          200,
          .object([
            "files": .number(Double(state.files.count)), "batches": .number(Double(state.batches.count)),
            "input_files": .number(Double(state.files.filter { $0.purpose == "batch" }.count)),
            "cancelled_batches": .number(Double(state.batches.filter { $0.cancelRequestedAt != nil }.count)),
            "expired_batches": .number(Double(state.batches.filter { $0.outcome?.status == "expired" }.count)),
            "http_faults": .number(Double(httpFaults.load(ordering: .relaxed))),
            "cut_downloads": .number(Double(cutDownloads.load(ordering: .relaxed))),
            "now": .number(clock.now().rounded()),
          ]))
      }
    default: return Self.error(404, "Unknown control \(request.path)", code: "unknown_url")
    }
  }

  // MARK: - Files

  private func uploadFile(_ request: EmulatorRequest) -> EmulatorResponse {
    guard let form = MultipartForm(contentType: request.headers["content-type"] ?? "", body: request.body),
      let file = form.part("file"), let purpose = form.part("purpose").map({ String(decoding: $0.data, as: UTF8.self) })
    else {
      return Self.error(400, "Expected a multipart body with `file` and `purpose`.", param: "file")
    }
    let name = file.fileName ?? "upload"
    if purpose == "batch" && !name.hasSuffix(".jsonl") {
      return Self.error(400, "Invalid file format for Batch API. Must be .jsonl", param: "file")
    }
    if purpose == "batch" && file.data.count > config.maximumBytes {
      return Self.error(400, "File is too large for the Batch API: the limit is 200 MB.", param: "file")
    }
    return mutate { state in
      let record = FileRecord(
        id: makeID("file-", &state), bytes: file.data.count, createdAt: Int(clock.now()), filename: name,
        purpose: purpose)
      do {
        try file.data.write(to: filesFolder.appendingPathComponent(record.id), options: .atomic)
      } catch {
        return Self.error(500, "The emulator could not store the file.", code: "server_error")
      }
      state.files.append(record)
      return .json(200, record.json)
    }
  }

  private func listFiles(_ request: EmulatorRequest) -> EmulatorResponse {
    state.withLock { state in
      let purpose = request.query["purpose"]
      var files = state.files.filter { purpose == nil || $0.purpose == purpose }
      if request.query["order"] != "asc" { files.reverse() }
      return Self.page(
        files.map { ($0.id, $0.json) }, after: request.query["after"],
        limit: min(10_000, max(1, Int(request.query["limit"] ?? "") ?? 10_000)))
    }
  }

  private func withFile(_ id: String, _ body: (FileRecord) -> EmulatorResponse) -> EmulatorResponse {
    guard let record = state.withLock({ $0.files.first { $0.id == id } }) else {
      return Self.error(404, "No such File object: \(id)", param: "id")
    }
    return body(record)
  }

  private func fileContent(_ id: String, request: EmulatorRequest, number: Int) -> EmulatorResponse {
    withFile(id) { record in
      guard let data = try? Data(contentsOf: filesFolder.appendingPathComponent(id)) else {
        return Self.error(404, "No such File object: \(id)", param: "id")
      }
      var start = 0
      if let range = request.headers["range"], range.hasPrefix("bytes="), range.hasSuffix("-"),
        let from = Int(range.dropFirst(6).dropLast())
      {
        guard from <= data.count else {
          return EmulatorResponse(status: 416, headers: [("Content-Range", "bytes */\(data.count)")])
        }
        start = from
      }
      let body = data.subdata(in: start..<data.count)
      var response = EmulatorResponse(
        status: start > 0 ? 206 : 200, headers: [("Content-Type", "application/octet-stream")], body: body)
      if start > 0 { response.headers.append(("Content-Range", "bytes \(start)-\(data.count - 1)/\(data.count)")) }
      var random = SeededRandom(seed: config.seed, "download-\(number)")
      if body.count > 1, random.chance(config.faults.truncatedDownloads) {
        response.fault = .truncateBody(body.count / 2)
        cutDownloads.add(1, ordering: .relaxed)
      }
      return response
    }
  }

  private func deleteFile(_ id: String) -> EmulatorResponse {
    mutate { state in
      guard let index = state.files.firstIndex(where: { $0.id == id }) else {
        return Self.error(404, "No such File object: \(id)", param: "id")
      }
      state.files.remove(at: index)
      try? FileManager.default.removeItem(at: filesFolder.appendingPathComponent(id))
      return .json(200, .object(["id": .string(id), "object": "file", "deleted": true]))
    }
  }

  // MARK: - Batches

  private func createBatch(_ request: EmulatorRequest) -> EmulatorResponse {
    guard let body = try? JSONValue(parsing: request.body),
      let fileID = body["input_file_id"]?.string, let endpoint = body["endpoint"]?.string
    else {
      return Self.error(400, "Expected input_file_id, endpoint and completion_window.", param: "input_file_id")
    }
    guard body["completion_window"]?.string == "24h" else {
      return Self.error(400, "completion_window must be 24h.", param: "completion_window")
    }
    var metadata: [String: String] = [:]
    if case .object(let object)? = body["metadata"] {
      for (key, value) in object { metadata[key] = value.string ?? "" }
    }
    guard let file = state.withLock({ $0.files.first { $0.id == fileID } }) else {
      return Self.error(400, "No such File object: \(fileID)", param: "input_file_id")
    }
    // Creating is quick, as the real API's is: the file is checked in the validating phase, when the batch is
    // first looked at after it.
    return mutate { state in
      let now = clock.now()
      let validating = now + config.validatingSeconds
      let record = BatchRecord(
        id: makeID("batch_", &state), inputFileID: file.id, endpoint: endpoint, metadata: metadata, createdAt: now,
        model: nil, lineCount: 0, validationErrors: [], validatingUntil: validating,
        processingUntil: validating + config.processingSeconds,
        finalizingUntil: validating + config.processingSeconds + config.finalizingSeconds,
        expires: config.faults.expireBatches || state.batches.count < config.faults.expireFirst, outcome: nil)
      state.batches.append(record)
      return .json(200, record.json(at: now))
    }
  }

  /// The validating phase: every line checked, the model and size taken, the enqueued-token limit applied, and
  /// the processing time set from the number of lines.
  private func validate(_ index: Int, state: inout EmulatorState, at now: Double) {
    var record = state.batches[index]
    let data = (try? Data(contentsOf: filesFolder.appendingPathComponent(record.inputFileID))) ?? Data()
    let checked = BatchValidator.check(
      data, endpoint: record.endpoint, maximumLines: config.maximumLines, synthesizer: synthesizer)
    var errors = checked.errors
    if config.faults.failValidation && errors.isEmpty {
      errors = [BatchError(code: "invalid_json_line", message: "This line is not parseable as valid JSON.", line: 1)]
    }
    if errors.isEmpty, let limit = config.enqueuedTokenLimit,
      state.enqueuedTokens(model: checked.model, at: now) + checked.promptTokens > limit
    {
      errors = [
        BatchError(
          code: "token_limit_exceeded",
          message: "Enqueued token limit reached for \(checked.model ?? "the model"). Limit: \(limit) enqueued "
            + "tokens. Please try again once some in_progress batches have been completed.")
      ]
    }
    record.model = checked.model
    record.lineCount = checked.lines
    record.validationErrors = errors
    record.promptTokens = checked.promptTokens
    record.processingUntil =
      record.validatingUntil + config.processingSeconds + config.processingSecondsPerLine * Double(checked.lines)
    record.finalizingUntil = record.processingUntil + config.finalizingSeconds
    record.validated = true
    state.batches[index] = record
  }

  private func listBatches(_ request: EmulatorRequest) -> EmulatorResponse {
    let ids = state.withLock { $0.batches.map(\.id) }
    var items: [(String, JSONValue)] = []
    for id in ids.reversed() { if let json = materialized(id) { items.append((id, json)) } }
    return Self.page(
      items, after: request.query["after"], limit: min(100, max(1, Int(request.query["limit"] ?? "") ?? 20)))
  }

  private func withBatch(_ id: String, _ body: (JSONValue) -> EmulatorResponse) -> EmulatorResponse {
    guard let json = materialized(id) else { return Self.error(404, "No batch found with id '\(id)'.", param: "id") }
    return body(json)
  }

  private func cancelBatch(_ id: String) -> EmulatorResponse {
    let answer: EmulatorResponse? = mutate { state in
      guard let index = state.batches.firstIndex(where: { $0.id == id }) else {
        return Self.error(404, "No batch found with id '\(id)'.", param: "id")
      }
      let now = clock.now()
      let status = state.batches[index].status(at: now).0
      if ["completed", "failed", "expired", "cancelled"].contains(status) {
        return Self.error(409, "Cannot cancel a batch with status '\(status)'.", code: "batch_not_cancellable")
      }
      if status != "cancelling" {
        state.batches[index].cancelRequestedAt = now
        state.batches[index].cancellingUntil = now + config.cancellingSeconds
      }
      return nil
    }
    return answer ?? withBatch(id) { .json(200, $0) }
  }

  /// The batch as JSON at the current emulated time, with its results made if it has just reached them.
  private func materialized(_ id: String) -> JSONValue? {
    mutate { state in
      guard let index = state.batches.firstIndex(where: { $0.id == id }) else { return nil }
      let now = clock.now()
      let record = state.batches[index]
      if record.validated != true && (now >= record.validatingUntil || record.cancelRequestedAt != nil) {
        validate(index, state: &state, at: now)
      }
      let (status, since) = state.batches[index].status(at: now)
      if state.batches[index].outcome == nil, ["completed", "expired", "cancelled"].contains(status) {
        state.batches[index].outcome = results(for: state.batches[index], status: status, at: since, state: &state)
      }
      return state.batches[index].json(at: now)
    }
  }

  /// Runs every line through the synthesizer (the share done by `time` for cancelled and expired batches) and
  /// writes the output and error files: output lines in a shuffled order, each file only when it has a line.
  ///
  /// The seeded draws (ids, faults, damage) are made line by line in file order, so a seed always gives the same
  /// files; the answers, which draw nothing, are then synthesized on all cores.
  private func results(for batch: BatchRecord, status: String, at time: Double, state: inout EmulatorState)
    -> BatchRecord.Outcome
  {
    let data = (try? Data(contentsOf: filesFolder.appendingPathComponent(batch.inputFileID))) ?? Data()
    let requests = Parallel.map(data.lines().filter { !$0.isEmpty }, minimumCount: 256) {
      try? JSONValue(parsing: $0)
    }
    let done =
      status == "completed"
      ? requests.count
      : Int(Double(requests.count) * batch.progress(at: batch.cancelRequestedAt ?? time, expired: status == "expired"))
    var random = SeededRandom(seed: config.seed, "results-\(batch.id)")
    var plans: [ResultPlan] = []
    for (index, request) in requests.enumerated() {
      guard let request else { continue }
      let customID = request["custom_id"]?.string ?? ""
      let requestID = Self.hex(&random, 32)
      let lineID = "batch_req_" + Self.hex(&random, 24)
      guard index < done else {
        plans.append(.unexecuted(lineID: lineID, customID: customID, expired: status == "expired"))
        continue
      }
      if random.chance(config.faults.lineErrors) {
        let status = random.next() % 2 == 0 ? 500 : 429
        plans.append(.httpError(lineID: lineID, customID: customID, requestID: requestID, status: status))
        continue
      }
      let damage: Synthesizer.Damage =
        random.chance(config.faults.invalidContent)
        ? .invalidJSON
        : random.chance(config.faults.schemaViolations)
          ? .schemaViolation : random.chance(config.faults.truncated) ? .truncated : .none
      plans.append(
        .answer(
          lineID: lineID, customID: customID, requestID: requestID, body: request["body"] ?? .null, damage: damage,
          completionID: "chatcmpl-" + Self.hex(&random, 24)))
    }
    let synthesizer = synthesizer
    let created = Double(Int(time))
    let lines = Parallel.map(plans, minimumCount: 64) { $0.line(synthesizer: synthesizer, created: created) }
    var output: [String] = []
    var errors: [String] = []
    var inputTokens = 0
    var outputTokens = 0
    for line in lines {
      if line.isOutput { output.append(line.text) } else { errors.append(line.text) }
      inputTokens += line.promptTokens
      outputTokens += line.completionTokens
    }
    output.shuffle(using: &random)
    let outputID = output.isEmpty ? nil : storeResult(output, batch: batch, kind: "output", state: &state)
    let errorID = errors.isEmpty ? nil : storeResult(errors, batch: batch, kind: "error", state: &state)
    return BatchRecord.Outcome(
      status: status, at: time, outputFileID: outputID, errorFileID: errorID, completed: output.count,
      failed: errors.count, inputTokens: inputTokens, outputTokens: outputTokens)
  }

  private func storeResult(_ lines: [String], batch: BatchRecord, kind: String, state: inout EmulatorState) -> String? {
    let data = Data((lines.joined(separator: "\n") + "\n").utf8)
    let record = FileRecord(
      id: makeID("file-", &state), bytes: data.count, createdAt: Int(clock.now()),
      filename: "\(batch.id)_\(kind).jsonl", purpose: "batch_output")
    guard (try? data.write(to: filesFolder.appendingPathComponent(record.id), options: .atomic)) != nil else {
      return nil
    }
    state.files.append(record)
    return record.id
  }

  // MARK: - Plumbing

  /// Changes the state under the lock and saves it when there is a data folder.
  private func mutate<T>(_ change: (inout EmulatorState) -> T) -> T {
    state.withLock { state in
      let result = change(&state)
      if let stateURL {
        state.savedAt = clock.now()
        if let data = try? JSONEncoder().encode(state) { try? data.write(to: stateURL, options: .atomic) }
      }
      return result
    }
  }

  private func makeID(_ prefix: String, _ state: inout EmulatorState) -> String {
    var random = SeededRandom(seed: config.seed, "id-\(state.nextID)")
    state.nextID += 1
    return prefix + Self.hex(&random, 24)
  }

  static func hex(_ random: inout SeededRandom, _ count: Int) -> String {
    var text = ""
    while text.count < count { text += String(random.next(), radix: 16) }
    return String(text.prefix(count))
  }

  static func page(_ items: [(String, JSONValue)], after: String?, limit: Int) -> EmulatorResponse {
    var start = 0
    if let after, let index = items.firstIndex(where: { $0.0 == after }) { start = index + 1 }
    let slice = Array(items[min(start, items.count)..<min(items.count, start + limit)])
    return .json(
      200,
      .object([
        "object": "list", "data": .array(slice.map(\.1)), "first_id": slice.first.map { .string($0.0) } ?? .null,
        "last_id": slice.last.map { .string($0.0) } ?? .null, "has_more": .bool(start + slice.count < items.count),
      ]))
  }

  static func error(_ status: Int, _ message: String, param: String? = nil, code: String? = nil) -> EmulatorResponse {
    let type =
      status == 401
      ? "invalid_request_error" : status >= 500 ? "server_error" : status == 429 ? "requests" : "invalid_request_error"
    return .json(
      status,
      .object([
        "error": .object([
          "message": .string(message), "type": .string(type), "param": param.map { .string($0) } ?? .null,
          "code": code.map { .string($0) } ?? .null,
        ])
      ]))
  }
}
