import Foundation

/// A run as listed by `wordbench runs`.
public struct RunSummary: Codable, Equatable, Sendable {
  public var run: String
  public var createdAt: Date?
  public var stage: String
  public var archived: Bool
  public var steps: [String: StepRecord]
  /// Why the run could not be read, when its manifest is damaged; the listing goes on with the other runs.
  public var problem: String?

  enum CodingKeys: String, CodingKey {
    case run, stage, archived, steps, problem
    case createdAt = "created_at"
  }
}

/// The versioned runs of a workspace: numbering, atomic creation, lookup and listing.
public struct RunStore: Sendable {
  public let folder: URL

  private static let stagingMarker = ".creating-"

  public init(workspace: Workspace) { folder = workspace.runsFolder }
  public init(folder: URL) { self.folder = folder }

  /// Creates the next run: its folder, manifest and first event are assembled in a hidden staging folder and renamed
  /// into place, so a crash at any moment leaves either no run or a complete one. The caller holds the workspace lock.
  ///
  /// `fill` writes the run's content into the staging folder first (it may be called again for the next number if
  /// this one is taken); when it throws, the staging folder is removed and no run appears.
  public func create(
    parameters: [String: JSONValue], context: WordbenchContext, fill: (RunFolder) throws -> Void = { _ in }
  ) throws -> RunFolder {
    try POSIXFile.createDirectory(folder)
    removeStaleStaging()
    var id = RunID((existingIDs().max()?.number ?? 0) + 1)
    while true {
      let staging = folder.appendingPathComponent(".\(id.name)\(Self.stagingMarker)\(context.processID)")
      try? FileManager.default.removeItem(at: staging)
      try POSIXFile.createDirectory(staging)
      let draft = RunFolder(id: id, url: staging)
      let now = context.clock.now()
      try draft.writeManifest(RunManifest(run: id, createdAt: now, parameters: parameters))
      try draft.append(RunEvent(time: now, run: id, step: nil, kind: "created", message: "run \(id.name) created"))
      do {
        try fill(draft)
      } catch {
        try? FileManager.default.removeItem(at: staging)
        throw error
      }
      let target = folder.appendingPathComponent(id.name)
      do {
        try POSIXFile.rename(staging, to: target)
        try POSIXFile.syncDirectory(folder)
        return RunFolder(id: id, url: target)
      } catch FileSystemError.cannotRename(_, _, let code) where code == ENOTEMPTY || code == EEXIST {
        // Someone took this number in the meantime; try the next one.
        try? FileManager.default.removeItem(at: staging)
        id = RunID(id.number + 1)
      }
    }
  }

  /// The run with this id, which must exist as a folder.
  public func open(_ id: RunID) throws(WorkspaceError) -> RunFolder {
    let url = folder.appendingPathComponent(id.name)
    guard POSIXFile.isDirectory(url) else { throw .unknownRun(id.name) }
    return RunFolder(id: id, url: url)
  }

  /// The newest run folder, if any.
  public func latest() -> RunFolder? {
    folderIDs().max().map { RunFolder(id: $0, url: folder.appendingPathComponent($0.name)) }
  }

  /// Every run, folders and archives, oldest first. A damaged manifest is reported on its row, not thrown.
  public func list() -> [RunSummary] {
    let archived = Set(archiveIDs())
    let folders = Set(folderIDs())
    return archived.union(folders).sorted().map { id in
      guard folders.contains(id) else { return archivedSummary(id) }
      let run = RunFolder(id: id, url: folder.appendingPathComponent(id.name))
      do {
        let manifest = try run.readManifest()
        return RunSummary(
          run: id.name, createdAt: manifest.createdAt, stage: manifest.stage, archived: false,
          steps: manifest.steps, problem: nil)
      } catch {
        return RunSummary(
          run: id.name, createdAt: nil, stage: "unreadable", archived: false, steps: [:],
          problem: String(describing: error))
      }
    }
  }

  /// An archived run as its archive's manifest describes it (read without unpacking the rest).
  private func archivedSummary(_ id: RunID) -> RunSummary {
    var summary = RunSummary(run: id.name, createdAt: nil, stage: "archived", archived: true, steps: [:], problem: nil)
    guard let (url, _) = archive(of: id) else { return summary }
    do {
      if let bytes = try TarArchive.contents(of: "\(id.name)/\(RunFolder.manifestFileName)", in: url) {
        let manifest = try JSONCoding.decoder().decode(RunManifest.self, from: Data(bytes))
        summary.createdAt = manifest.createdAt
        summary.steps = manifest.steps
      }
    } catch {
      summary.problem = "\(url.lastPathComponent): \(error)"
    }
    return summary
  }

  private func names() -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
  }

  private func folderIDs() -> [RunID] {
    names().compactMap { name in
      guard let id = RunID(folderName: name), POSIXFile.isDirectory(folder.appendingPathComponent(name)) else {
        return nil
      }
      return id
    }
  }

  private func archiveIDs() -> [RunID] {
    names().compactMap { name in
      guard let format = ArchiveFormat.allCases.first(where: { name.hasSuffix($0.suffix) }) else { return nil }
      return RunID(folderName: String(name.dropLast(format.suffix.count)))
    }
  }

  /// Whether run `id` has a folder or an archive.
  public func exists(_ id: RunID) -> Bool {
    POSIXFile.isDirectory(folder.appendingPathComponent(id.name)) || archive(of: id) != nil
  }

  /// The archive of run `id` (`runs/r0001.tar.zst` or `.tar.gz`), if it has one.
  public func archive(of id: RunID) -> (url: URL, format: ArchiveFormat)? {
    for format in ArchiveFormat.allCases {
      let url = archiveURL(of: id, format: format)
      if POSIXFile.isRegularFile(url) { return (url, format) }
    }
    return nil
  }

  public func archiveURL(of id: RunID, format: ArchiveFormat) -> URL {
    folder.appendingPathComponent(id.name + format.suffix)
  }

  /// The run folders, oldest first.
  public func folders() -> [RunFolder] {
    folderIDs().sorted().map { RunFolder(id: $0, url: folder.appendingPathComponent($0.name)) }
  }

  /// Numbers in use by folders and archives alike, so an archived run's number is never reused.
  private func existingIDs() -> [RunID] { folderIDs() + archiveIDs() }

  /// Staging folders of creations that were interrupted.
  /// A hidden folder beside the runs for assembling something of run `id` (`purpose` tells what), removed by the
  /// next command that creates a run if a crash leaves it behind. The caller holds the workspace lock.
  public func stagingFolder(for id: RunID, purpose: String, context: WordbenchContext) -> URL {
    folder.appendingPathComponent(".\(id.name)\(Self.stagingMarker)\(purpose)-\(context.processID)")
  }

  /// Removes staging folders that crashed commands left; the workspace lock says none is in use.
  public func removeStaleStaging() {
    for name in names() where name.hasPrefix(".") && name.contains(Self.stagingMarker) {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }
}
