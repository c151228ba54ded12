import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// The security checks: secrets in no file or log, names that could leave the workspace refused, data private.
@Suite("Security")
struct SecurityTests {
  let batches = BatchCommandTests()

  var folder: TemporaryFolder { batches.folder }

  /// Every regular file under `root`.
  func files(under root: URL) -> [URL] {
    let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
    return walker.compactMap { $0 as? URL }.filter {
      (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
    }
  }

  @Test("after a whole pipeline the keys are in no file and no log; data is 0600 and folders 0700")
  func secretsAndModes() async throws {
    let (emulator, url) = try await batches.startEmulator(["--speed", "100000"])
    defer { emulator.kill() }
    let key = "sk-security-check-0123456789"
    let admin = "sk-admin-security-check-9876543210"
    let environment = [
      "OPENAI_API_KEY": key, "OPENAI_ADMIN_KEY": admin, "OPENAI_BASE_URL": url, "WORDBENCH_LOG": "trace",
    ]
    try batches.sampleWorkspace()
    var logs = ""
    for command in [
      ["process", "--words", "40", "--batch-size", "20", "--poll-interval", "1", "--output-dir", "workspaces/w/out"],
      ["scheduler", "run-once", "--words", "20"], ["status"], ["usage", "--remote"], ["retry", "r1"],
      ["archive", "r1"], ["export", "--format", "dictd"],
      [
        "scheduler", "install", "--systemd", "--write",
        "--unit-dir", "workspaces/w/units",
      ],
    ] {
      let output = try batches.wordbench(command + ["--workspace", "w"], environment: environment)
      logs += output.stdout + output.stderr
      #expect(output.status == 0 || command[0] == "retry", "\(command): \(output.stderr)")
    }
    #expect(logs.contains("trace") || logs.contains("debug") || !logs.isEmpty)
    #expect(!logs.contains(key) && !logs.contains(admin), "a key in the output or the log")
    let workspace = folder.file("workspaces/w")
    for file in files(under: workspace) {
      let data = try Data(contentsOf: file)
      #expect(data.range(of: Data(key.utf8)) == nil && data.range(of: Data(admin.utf8)) == nil, "\(file.path)")
    }
    // What the archive holds was checked as files before it was made; check it again inside.
    let listing = try batches.wordbench(["archive", "verify", "r1", "--workspace", "w"])
    #expect(listing.status == 0)

    var loose: [String] = []
    let walker = FileManager.default.enumerator(at: workspace, includingPropertiesForKeys: nil)!
    for case let item as URL in walker {
      let attributes = try FileManager.default.attributesOfItem(atPath: item.path)
      let mode = (attributes[.posixPermissions] as? Int) ?? 0
      let isFolder = (attributes[.type] as? FileAttributeType) == .typeDirectory
      // The systemd unit is configuration for root to read; everything else holds data.
      if item.path.contains("/units/") { continue }
      if isFolder ? mode != 0o700 : mode & 0o077 != 0 {
        loose.append("\(item.path.replacingOccurrences(of: workspace.path, with: "")) \(String(mode, radix: 8))")
      }
    }
    #expect(loose.isEmpty, "\(loose)")
  }

  @Test(
    "workspace and run names that could leave their folder are refused, and nothing is made outside",
    arguments: [
      ["init", "../escape"], ["init", "a/b"], ["init", ".."], ["init", "line\nbreak"],
      ["status", "../r0001", "--workspace", "w"], ["archive", "r1/../../x", "--workspace", "w"],
      ["unarchive", "../../etc", "--workspace", "w"], ["process", "--resume", "../r0001", "--workspace", "w"],
      ["merge", "r0001/..", "--workspace", "w"], ["archive", "verify", "/etc/passwd", "--workspace", "w"],
    ])
  func names(arguments: [String]) throws {
    // The commands run in `inner`; whatever escapes would land beside it, in the test's folder.
    let inner = folder.file("inner")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    func wordbench(_ arguments: [String]) throws -> ProcessOutput {
      try ChildProcess.run(BuildProducts.wordbench, arguments, currentDirectory: inner)
    }
    #expect(try wordbench(["init", "w"]).status == 0)
    let output = try wordbench(arguments)
    #expect(output.status != 0, "\(arguments) was accepted: \(output.stdout)")
    #expect(!output.stderr.isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["inner"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: inner.path) == ["workspaces"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: inner.appendingPathComponent("workspaces").path) == ["w"])
  }
}
