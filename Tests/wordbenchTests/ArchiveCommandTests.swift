import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// archive, archive list, archive verify and unarchive as a user runs them, including kills midway.
@Suite("wordbench archive and unarchive")
struct ArchiveCommandTests {
  let folder = TemporaryFolder("wordbench-archive")

  func wordbench(_ arguments: [String]) throws -> ProcessOutput {
    try ChildProcess.run(BuildProducts.wordbench, arguments, currentDirectory: folder.url)
  }

  /// A workspace `w` with a prepared (not merged) run r0001.
  func preparedWorkspace() throws {
    #expect(try wordbench(["init", "w"]).status == 0)
    #expect(try wordbench(["corpus", "import", Samples.corpus.path, "--workspace", "w"]).status == 0)
    #expect(try wordbench(["prepare", "--words", "300", "--batch-size", "100", "--workspace", "w"]).status == 0)
  }

  @Test("exit codes and output of archive, list, verify and unarchive")
  func commands() throws {
    try preparedWorkspace()
    let unmerged = try wordbench(["archive", "r1", "--workspace", "w"])
    #expect(unmerged.status == 3 && unmerged.stderr.contains("not merged yet"), "\(unmerged.stderr)")
    let level = try wordbench(["archive", "r1", "--level", "12", "--format", "tar.gz", "--force", "--workspace", "w"])
    #expect(level.status == 2 && level.stderr.contains("use one from 1 to 9"), "\(level.stderr)")
    let archived = try wordbench(["archive", "r1", "--force", "--workspace", "w", "--json"])
    #expect(archived.status == 0, "\(archived.stderr)")
    #expect(archived.stdout.contains("\"run\" : \"r0001\"") || archived.stdout.contains("\"run\":\"r0001\""))
    let listing = try wordbench(["archive", "list", "r1", "--workspace", "w"])
    #expect(listing.status == 0 && listing.stdout.contains("r0001/SHA256SUMS"))
    let verified = try wordbench(["archive", "verify", "r1", "--workspace", "w"])
    #expect(verified.status == 0 && verified.stdout.contains("every checksum matches"), "\(verified.stderr)")
    #expect(try wordbench(["runs", "--workspace", "w"]).stdout.contains("archived"))
    #expect(try wordbench(["unarchive", "r1", "--workspace", "w"]).status == 0)
    let again = try wordbench(["unarchive", "r1", "--workspace", "w"])
    #expect(again.status == 3 && again.stderr.contains("refusing to overwrite"))
    #expect(try wordbench(["archive", "verify", "r9", "--workspace", "w"]).status == 3)
  }

  @Test("an archive or unarchive killed at any moment is completed by running it again")
  func killed() async throws {
    try preparedWorkspace()
    let runs = folder.file("workspaces/w/runs")
    for (command, delays) in [(["archive", "r1", "--force"], [2, 10, 30, 60]), (["unarchive", "r1"], [2, 10, 30])] {
      for delay in delays {
        let victim = try ChildProcess(
          BuildProducts.wordbench, command + ["--workspace", "w"], currentDirectory: folder.url)
        try await Task.sleep(for: .milliseconds(delay))
        victim.kill()
        _ = victim.wait()
        // Whatever the moment: the folder or a complete archive (or both), never neither.
        let folderThere = FileManager.default.fileExists(atPath: runs.appendingPathComponent("r0001/words.tsv").path)
        let archiveVerifies = try wordbench(["archive", "verify", "r1", "--workspace", "w"]).status == 0
        #expect(folderThere || archiveVerifies, "\(command) killed after \(delay) ms")
        if command[0] == "unarchive" && folderThere {
          #expect(try wordbench(["archive", "r1", "--force", "--workspace", "w"]).status == 0)
        }
      }
      let finished = try wordbench(command + ["--workspace", "w"])
      #expect(finished.status == 0, "\(command): \(finished.stderr)")
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: runs.path)
    #expect(names.filter { $0.hasPrefix(".") }.isEmpty, "\(names)")
    let words = try String(contentsOf: runs.appendingPathComponent("r0001/words.tsv"), encoding: .utf8)
    #expect(words.split(separator: "\n").count == 300)
  }
}
