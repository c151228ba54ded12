import ArgumentParser
import Foundation
import Logging
import WordbenchCore

/// What every command shares: the real context, output to stdout and the mapping of errors to messages and exit codes.
enum CommandRuntime {
  /// The context of a real run: system clock and sleeper, the process environment, progress on stderr.
  static func makeContext() -> WordbenchContext {
    let level = ProcessInfo.processInfo.environment["WORDBENCH_LOG"].flatMap(Logger.Level.init(rawValue:))
    var logger = Logger(label: "wordbench", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = level ?? .critical
    return WordbenchContext(progress: TerminalProgress(), logger: logger)
  }

  /// Runs a command body; a failure becomes a message on stderr and a non-zero exit code.
  static func run(_ body: (WordbenchContext) async throws -> Void) async throws {
    do {
      try await body(makeContext())
    } catch let error as ExitCode {
      throw error
    } catch {
      Terminal.standardError("error: \(describe(error))\n")
      throw ExitCode(exitCode(for: error))
    }
  }

  /// Prints a command's result: as its one JSON document with `--json`, else as `render` makes it for people.
  static func emit<T: Encodable>(_ value: T, json: Bool, render: (T) -> String) throws {
    if json { try printJSON(value) } else { Terminal.standardOutput(render(value)) }
  }

  /// Prints `value` as the one JSON document of the command.
  static func printJSON(_ value: some Encodable) throws {
    let data = try JSONCoding.encoder().encode(value)
    Terminal.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
  }

  /// Every error of the core describes itself (what failed, where, what to do); others fall back to their text.
  static func describe(_ error: any Error) -> String {
    String(describing: error)
  }

  /// Exit code of a look-up that found nothing (`lookup` of a word with no entry, `search` without a hit), like
  /// grep's 1 but apart from failures; the report is printed all the same.
  static let nothingFound: Int32 = 9

  /// Exit codes, documented in the README: 1 failure, 3 workspace, 4 configuration, templates or manifest, 5 busy,
  /// 6 input, 7 over budget, 8 the provider refused, 9 nothing found.
  static func exitCode(for error: any Error) -> Int32 {
    switch error {
    case let error as WorkspaceError:
      switch error {
      case .notFound, .noWorkspaceAt, .alreadyExists, .folderNotEmpty, .invalidName, .unknownRun: 3
      case .invalidConfig, .invalidManifest, .manifestTooNew: 4
      case .busy: 5
      case .fileSystem: 1
      }
    case let error as CorpusError:
      if case .invalidColumn = error { 2 } else { 6 }
    case let error as RequestError:
      switch error {
      case .template, .schema, .unknownModel: 4
      case .overBudget: 7
      case .resourceMissing, .badRanks: 1
      case .unreadable, .noWords, .unknownWords, .cannotRedo: 6
      }
    case is LexiconError: 1
    case let error as ProviderError:
      if case .missingKey = error { 4 } else { 8 }
    case let error as ArchiveError:
      switch error {
      case .invalidLevel: 2
      case .notFinished, .notArchived, .destinationExists: 3
      case .unsafeEntry, .verificationFailed: 6
      case .library, .unsupportedFile, .changedWhileArchiving: 1
      }
    case let error as SchedulerError:
      switch error {
      case .cycleRunning: 5
      case .needsConfirmation: 2
      case .unreadableState: 4
      case .cannotInstall: 1
      case .alreadyRunning: 5
      }
    case let error as PipelineError:
      switch error {
      case .notPrepared, .notUploaded, .unknownShard, .notMerged: 3
      case .invalidShard, .attachMismatch: 6
      case .shardOverQueue: 7
      case .incompleteDownload: 1
      }
    default: 1
    }
  }
}

/// Writes to the standard streams without buffering surprises between them.
enum Terminal {
  static func standardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  static func standardOutput(bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
  }

  static func standardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// `12.3 MB`.
  static func megabytes(_ bytes: Int64) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_000_000)
  }

  /// 1234567 as "1,234,567", whatever the locale. Grouped by hand: Foundation's number formatting starts ICU,
  /// which took longer than the rest of rendering a report.
  static func count(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var grouped = number < 0 ? "-" : ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
      grouped.append(digit)
    }
    return grouped
  }
}
