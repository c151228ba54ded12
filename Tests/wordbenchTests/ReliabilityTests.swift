import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// Short versions of `make crashtest` and `make soak`: the same harness, fewer words and kills.
@Suite("Reliability: crash injection and fault soak, short versions")
struct ReliabilityTests {
  var harness: URL { BuildProducts.folder.appendingPathComponent("wordbench-crashtest") }

  @Test("killed at random moments of every step and run again, the pipeline ends as an uninterrupted one")
  func crashInjection() throws {
    let output = try ChildProcess.run(harness, ["--kills", "12", "--words", "300", "--batch-size", "75"], timeout: 600)
    #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    #expect(output.stdout.contains("12 kills landed"), "\(output.stdout)")
    #expect(output.stdout.contains("outcome: PASS"))
  }

  @Test("through HTTP faults, bad lines, cut-short downloads and an expiry, every word is merged or quarantined")
  func faultSoak() throws {
    let output = try ChildProcess.run(harness, ["--soak", "--words", "300", "--batch-size", "100"], timeout: 600)
    #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
    #expect(output.stdout.contains("outcome: PASS"), "\(output.stdout)")
  }
}
