import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// Short versions of `make crashtest` and `make soak`: the same harness, fewer words and kills.
@Suite("Reliability: crash injection and fault soak, short versions")
struct ReliabilityTests {
  var harness: URL { BuildProducts.folder.appendingPathComponent("wordbench-crashtest") }

  /// Runs the harness with its own temporary folder as `TMPDIR`, and checks that it removed its scratch folder.
  func runHarness(_ arguments: [String]) throws -> ProcessOutput {
    let folder = TemporaryFolder()
    let output = try ChildProcess.run(harness, arguments, environment: ["TMPDIR": folder.path], timeout: 600)
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left.isEmpty, "the harness left \(left) behind")
    return output
  }

  @Test("killed at random moments of every step and run again, the pipeline ends as an uninterrupted one")
  func crashInjection() throws {
    let output = try runHarness(["--kills", "12", "--words", "300", "--batch-size", "75"])
    #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    #expect(output.stdout.contains("12 kills landed"), "\(output.stdout)")
    #expect(output.stdout.contains("outcome: PASS"))
  }

  @Test("through HTTP faults, bad lines, cut-short downloads and an expiry, every word is merged or quarantined")
  func faultSoak() throws {
    let output = try runHarness(["--soak", "--words", "300", "--batch-size", "100"])
    #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    #expect(output.stdout.contains("outcome: PASS"), "\(output.stdout)")
  }
}
