import Foundation

/// What `wordbench archive` takes.
public struct ArchiveOptions: Sendable {
  /// Runs to archive by name; when empty, every finished run older than `olderThan` (or the configured age).
  public var runs: [String] = []
  public var olderThan: AgeLimit?
  public var format: ArchiveFormat?
  public var level: Int?
  /// Also delete the runs' input, output and error files at the provider.
  public var deleteRemote = false
  /// Archive runs that are not merged.
  public var force = false
  public var waitForLock = false

  public init() {}
}

/// One run `archive` handled.
public struct ArchivedRun: Codable, Equatable, Sendable {
  public var run: String
  public var archive: String
  public var files: Int
  public var sourceBytes: Int64
  public var archiveBytes: Int64
  public var remoteFilesDeleted: Int

  enum CodingKeys: String, CodingKey {
    case run, archive, files
    case sourceBytes = "source_bytes"
    case archiveBytes = "archive_bytes"
    case remoteFilesDeleted = "remote_files_deleted"
  }
}

public struct ArchiveReport: Codable, Equatable, Sendable {
  public var archived: [ArchivedRun] = []
  /// Runs left alone, with the reason (already archived, not merged, too recent).
  public var skipped: [String: String] = [:]

  public init(archived: [ArchivedRun] = [], skipped: [String: String] = [:]) {
    self.archived = archived
    self.skipped = skipped
  }
}

/// What `archive verify` found: every file's checksum matches.
public struct ArchiveVerification: Codable, Equatable, Sendable {
  public var run: String
  public var archive: String
  public var files: Int
  public var bytes: Int64
}

/// What `unarchive` restored.
public struct UnarchiveReport: Codable, Equatable, Sendable {
  public var run: String
  public var folder: String
  public var files: Int
}

/// `wordbench archive`, `archive list`, `archive verify` and `unarchive`: finished runs packed into
/// `runs/rNNNN.tar.zst` with a `SHA256SUMS` of every file, proven by reading them back before the folder goes.
///
/// Crash safety: the archive is written as a hidden `.part`, flushed, read back and verified, then renamed into place;
/// only then is the folder removed (renamed hidden first, so a half-removed folder is never taken for a run).
/// Unarchiving extracts into a hidden staging folder, verifies, and renames it into place. Hidden leftovers of an
/// interrupted command are removed by the next one.
public enum RunArchiver {
  public static let checksumsName = "SHA256SUMS"

  public static func archive(options: ArchiveOptions, workspace path: String?, context: WordbenchContext) async throws
    -> ArchiveReport
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "archive", wait: options.waitForLock, context: context) {
      let runs = RunStore(workspace: workspace)
      runs.removeStaleStaging()
      let format = options.format ?? workspace.config.archive.format
      let level = options.level ?? (workspace.config.archive.level > 0 ? workspace.config.archive.level : nil)
      if let level, !format.levels.contains(level) {
        throw ArchiveError.invalidLevel(level: level, format: format.rawValue, allowed: format.levels)
      }
      var report = ArchiveReport()
      let provider = options.deleteRemote ? try OpenAIProvider.configured(workspace.config, context: context) : nil
      for (folder, skip) in try selection(options, runs: runs, workspace: workspace, context: context) {
        if let skip {
          report.skipped[folder.id.name] = skip
          continue
        }
        report.archived.append(
          try await archive(
            folder, runs: runs, compression: format.compression(level: level ?? format.defaultLevel), format: format,
            provider: provider, context: context))
      }
      return report
    }
  }

  /// The runs to archive, each with the reason to skip it, if any.
  private static func selection(
    _ options: ArchiveOptions, runs: RunStore, workspace: Workspace, context: WordbenchContext
  ) throws -> [(RunFolder, String?)] {
    if !options.runs.isEmpty {
      return try options.runs.map { name in
        guard let id = RunID(parsing: name) else { throw WorkspaceError.unknownRun(name) }
        guard let folder = try? runs.open(id) else {
          if runs.archive(of: id) != nil {
            return (RunFolder(id: id, url: runs.folder.appendingPathComponent(id.name)), "already archived")
          }
          throw WorkspaceError.unknownRun(id.name)
        }
        let manifest = try folder.readManifest()
        guard options.force || manifest.state(of: .merge) == .done else { throw ArchiveError.notFinished(run: id.name) }
        return (folder, nil)
      }
    }
    let age =
      options.olderThan ?? AgeLimit(parsing: workspace.config.archive.olderThan) ?? AgeLimit(parsing: "30d")!
    let cutoff = context.clock.now().addingTimeInterval(-age.seconds)
    return runs.folders().map { folder in
      guard let manifest = try? folder.readManifest() else { return (folder, "its manifest cannot be read") }
      let merged = manifest.steps[RunStep.merge.rawValue]
      guard options.force || merged?.state == .done else { return (folder, "not merged") }
      let finished = merged?.updatedAt ?? manifest.createdAt
      return finished < cutoff ? (folder, nil) : (folder, "finished less than \(age) ago")
    }
  }

  private static func archive(
    _ folder: RunFolder, runs: RunStore, compression: ArchiveCompression, format: ArchiveFormat,
    provider: OpenAIProvider?, context: WordbenchContext
  ) async throws -> ArchivedRun {
    let id = folder.id
    let target = runs.archiveURL(of: id, format: format)
    var deleted = 0
    if let provider { deleted = try await deleteRemoteFiles(of: folder, provider: provider) }
    // The archive carries a manifest that says it is archived; should this command stop before the archive is in
    // place, running it again archives the folder again.
    let now = context.clock.now()
    try folder.updateManifest {
      $0.record(.archive, .done, at: now, message: "archived to \(target.lastPathComponent)")
    }
    try folder.append(
      RunEvent(time: now, run: id, step: .archive, kind: "archived", message: "archived to \(target.lastPathComponent)")
    )

    let part = runs.stagingFolder(for: id, purpose: "archive", context: context).appendingPathExtension("part")
    try? FileManager.default.removeItem(at: part)
    // Read back whole while it is written, and compared byte for byte with the folder (cheaper than hashing again,
    // and as strict).
    let written: [FileChecksum]
    do {
      written = try TarArchive.createVerified(
        from: folder.url, rootName: id.name, to: part, compression: compression, checksumsName: checksumsName)
    } catch {
      try? FileManager.default.removeItem(at: part)
      throw error
    }
    try POSIXFile.rename(part, to: target)
    try POSIXFile.syncDirectory(runs.folder)
    // An archive of the other format (from an earlier archive of this run) is now out of date.
    for other in ArchiveFormat.allCases where other != format {
      try? FileManager.default.removeItem(at: runs.archiveURL(of: id, format: other))
    }
    try remove(folder, runs: runs, context: context)
    let size = (try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? Int64) ?? 0
    return ArchivedRun(
      run: id.name, archive: target.path, files: written.count, sourceBytes: written.reduce(0) { $0 + $1.size },
      archiveBytes: size, remoteFilesDeleted: deleted)
  }

  /// Removes a run folder that is safely archived: renamed hidden first (one atomic step), then deleted.
  private static func remove(_ folder: RunFolder, runs: RunStore, context: WordbenchContext) throws {
    let doomed = runs.stagingFolder(for: folder.id, purpose: "remove", context: context)
    try POSIXFile.rename(folder.url, to: doomed)
    try POSIXFile.syncDirectory(runs.folder)
    try? FileManager.default.removeItem(at: doomed)
  }

  /// Deletes the run's input, output and error files at the provider; files already gone count as deleted.
  private static func deleteRemoteFiles(of folder: RunFolder, provider: OpenAIProvider) async throws -> Int {
    let manifest = try folder.readManifest()
    var deleted = 0
    for remote in (manifest.shards ?? []).compactMap(\.remote) {
      let ids: [String?] = [remote.fileID, remote.outputFileID, remote.errorFileID]
      for id in ids.compactMap({ $0 }) {
        do {
          try await provider.deleteFile(id)
        } catch let error as ProviderError where error.status == 404 {
          // Deleted before (by an earlier run of this command, or by hand).
        }
        deleted += 1
      }
    }
    return deleted
  }

  // MARK: - Reading archives

  public static func list(_ runName: String, workspace path: String?, context: WordbenchContext) throws
    -> [ArchiveEntryInfo]
  {
    let (url, _) = try locateArchive(runName, workspace: path, context: context)
    return try TarArchive.list(url)
  }

  public static func verify(_ runName: String, workspace path: String?, context: WordbenchContext) throws
    -> ArchiveVerification
  {
    let (url, id) = try locateArchive(runName, workspace: path, context: context)
    let scan = try verify(url, run: id)
    let files = scan.entries.filter { $0.kind == .file }
    return ArchiveVerification(
      run: id.name, archive: url.path, files: files.count - 1, bytes: files.reduce(0) { $0 + $1.size })
  }

  /// Reads the whole archive back: every entry inside the run's folder, every file listed in `SHA256SUMS` with the
  /// same checksum, and nothing else.
  @discardableResult
  static func verify(_ url: URL, run id: RunID) throws -> ArchiveScan {
    func fail(_ reason: String) -> ArchiveError { .verificationFailed(archive: url.path, reason: reason) }
    let sumsPath = "\(id.name)/\(checksumsName)"
    let scan = try TarArchive.scan(url, capturing: sumsPath)
    for entry in scan.entries {
      try checkLayout(entry.path, run: id, archive: url.path)
    }
    guard let sums = scan.captured.flatMap({ String(validating: $0, as: UTF8.self) }) else {
      throw fail("it has no \(checksumsName)")
    }
    var listed: [String: String] = [:]
    for line in sums.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" ") else {
        throw fail("\(checksumsName) has a line that is not `sha256  path`: \(line)")
      }
      listed["\(id.name)/\(parts[1].dropFirst())"] = String(parts[0])
    }
    let files = Set(scan.sha256.keys).subtracting([sumsPath])
    if let missing = Set(listed.keys).subtracting(files).sorted().first { throw fail("\(missing) is missing") }
    if let extra = files.subtracting(listed.keys).sorted().first { throw fail("\(extra) is not in \(checksumsName)") }
    for (path, sum) in listed where scan.sha256[path] != sum {
      throw fail("\(path) does not match its checksum")
    }
    return scan
  }

  /// An entry must be the run's folder or inside it: `r0001/` or `r0001/...`.
  private static func checkLayout(_ name: String, run id: RunID, archive: String) throws {
    let components = try TarArchive.safeComponents(name, archive: archive)
    guard components.first == id.name else {
      throw ArchiveError.unsafeEntry(
        archive: archive, entry: name, reason: "everything in a run's archive is inside \(id.name)/")
    }
  }

  private static func locateArchive(_ runName: String, workspace path: String?, context: WordbenchContext) throws
    -> (URL, RunID)
  {
    let workspace = try Workspace.locate(explicit: path, context: context)
    guard let id = RunID(parsing: runName) else { throw WorkspaceError.unknownRun(runName) }
    guard let (url, _) = RunStore(workspace: workspace).archive(of: id) else {
      throw ArchiveError.notArchived(run: id.name)
    }
    return (url, id)
  }

  // MARK: - Unarchiving

  /// Restores a run's folder from its archive, which is kept; refuses when the folder exists.
  public static func unarchive(
    _ runName: String, waitForLock: Bool = false, workspace path: String?, context: WordbenchContext
  ) async throws -> UnarchiveReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    return try await workspace.withLock(command: "unarchive", wait: waitForLock, context: context) {
      let (url, id) = try locateArchive(runName, workspace: workspace.root.path, context: context)
      let runs = RunStore(workspace: workspace)
      runs.removeStaleStaging()
      let target = runs.folder.appendingPathComponent(id.name)
      guard !POSIXFile.exists(target) else { throw ArchiveError.destinationExists(path: target.path) }
      let scan = try verify(url, run: id)
      let staging = runs.stagingFolder(for: id, purpose: "unarchive", context: context)
      try? FileManager.default.removeItem(at: staging)
      do {
        _ = try TarArchive.extract(url, into: staging) { components in
          components.first == id.name ? nil : "everything in a run's archive is inside \(id.name)/"
        }
      } catch {
        try? FileManager.default.removeItem(at: staging)
        throw error
      }
      let restored = staging.appendingPathComponent(id.name)
      try? FileManager.default.removeItem(at: restored.appendingPathComponent(checksumsName))
      let folder = RunFolder(id: id, url: restored)
      let now = context.clock.now()
      try folder.updateManifest {
        $0.record(.archive, .pending, at: now, message: "restored from \(url.lastPathComponent), which is kept")
      }
      try folder.append(
        RunEvent(
          time: now, run: id, step: .archive, kind: "unarchived", message: "restored from \(url.lastPathComponent)"))
      try POSIXFile.rename(restored, to: target)
      try POSIXFile.syncDirectory(runs.folder)
      try? FileManager.default.removeItem(at: staging)
      return UnarchiveReport(run: id.name, folder: target.path, files: scan.sha256.count - 1)
    }
  }
}
