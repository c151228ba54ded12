import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

@Suite("usage from the ledger and from the emulator's Usage and Costs API")
struct UsageTests {
  let process = ProcessRunTests()

  @Test("local estimated and actual figures per day, model and run; the provider's beside them agree")
  func usage() async throws {
    let (workspace, base, emulator) = try await process.setUp()
    defer { emulator.stop() }
    // One clock for both, so the ledger's days and the provider's buckets are the same days.
    let clock = ManualClock(start: Date(timeIntervalSince1970: emulator.clock.now().rounded()))
    var context = base
    context.clock = clock
    context.sleeper = LinkedSleeper(clock: clock, emulator: emulator)
    context.environment["OPENAI_ADMIN_KEY"] = "sk-admin-test"
    let path = workspace.root.path
    var options = ProcessOptions()
    options.prepare.words = 40
    options.prepare.batchSize = 20
    let first = try await ProcessRun.run(options: options, workspace: path, context: context)
    options.prepare.model = "gpt-4o"
    options.prepare.words = 20
    let second = try await ProcessRun.run(options: options, workspace: path, context: context)
    let actual = try #require(first.merged).actualCostUSD + (try #require(second.merged).actualCostUSD)

    let byModel = try await Usage.run(days: 7, by: .model, remote: true, workspace: path, context: context)
    #expect(byModel.rows.map(\.key) == ["gpt-4o", "gpt-4o-mini"])
    for row in byModel.rows {
      let local = try #require(row.actual)
      let remote = try #require(row.remote)
      #expect(local.inputTokens == remote.inputTokens && local.outputTokens == remote.outputTokens, "\(row.key)")
      #expect(abs(local.costUSD - remote.costUSD) < 1e-9, "\(row.key)")
      #expect(row.estimated.inputTokens == local.inputTokens, "input tokens are counted exactly before sending")
    }
    #expect(abs((byModel.total.actual?.costUSD ?? 0) - actual) < 1e-9)
    #expect(byModel.total.remote?.requests == 60)

    let byRun = try await Usage.run(days: 7, by: .run, remote: true, workspace: path, context: context)
    #expect(byRun.rows.map(\.key) == ["r0001", "r0002"] && byRun.rows.allSatisfy { $0.remote == nil })
    #expect(abs((byRun.total.remote?.costUSD ?? 0) - actual) < 1e-9)

    let local = try await Usage.run(days: 1, by: .day, remote: false, workspace: path, context: context)
    #expect(local.rows.count == 1 && local.total.remote == nil)
    #expect(abs(local.total.estimated.costUSD - first.estimatedCostUSD! - second.estimatedCostUSD!) < 1e-9)

    // Two days later, the last day holds nothing.
    clock.advance(by: .seconds(2 * 86_400))
    #expect(try await Usage.run(days: 1, by: .day, remote: false, workspace: path, context: context).rows.isEmpty)

    context.environment["OPENAI_ADMIN_KEY"] = nil
    await #expect(throws: ProviderError.missingKey(variable: "OPENAI_ADMIN_KEY")) {
      try await Usage.run(days: 7, by: .day, remote: true, workspace: path, context: context)
    }
  }
}
