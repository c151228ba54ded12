import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Workspace configuration")
struct WorkspaceConfigTests {
  @Test("the documented default file reads back as the defaults")
  func defaultsRoundTrip() throws {
    let text = WorkspaceConfigFile.render(WorkspaceConfig())
    let config = try WorkspaceConfigFile.parse(text, file: "workspace.toml")
    #expect(config == WorkspaceConfig())
    #expect(config.provider.model == "gpt-4o-mini")
    #expect(config.limits.maxRequestsPerShard == 50_000)
    #expect(config.limits.maxShardMegabytes == 190)
    #expect(config.limits.maxConcurrentBatches == 5)
    #expect(config.filter.preset == .moderate)
    #expect(config.scheduler.runTime == "02:00")
    #expect(text.contains("One of: conservative, moderate, aggressive, none."))
  }

  @Test("an empty file means every default")
  func emptyFile() throws {
    #expect(try WorkspaceConfigFile.parse("", file: "w.toml") == WorkspaceConfig())
  }

  @Test("values are applied")
  func applies() throws {
    let config = try WorkspaceConfigFile.parse(
      """
      [provider]
      model = "gpt-4.1-mini"
      base_url = "http://127.0.0.1:8080/v1"
      [budget]
      max_cost_per_run = 3
      [scheduler]
      frequency = "weekly"
      run_time = "23:59"
      """, file: "w.toml")
    #expect(config.provider.model == "gpt-4.1-mini")
    #expect(config.provider.baseURL == "http://127.0.0.1:8080/v1")
    #expect(config.budget.maxCostPerRun == 3)
    #expect(config.scheduler.frequency == .weekly)
    #expect(config.scheduler.runTime == "23:59")
  }

  struct BadValue: CustomTestStringConvertible, Sendable {
    let text: String
    let key: String?
    let fragment: String
    var testDescription: String { "\(key ?? "-"): \(fragment)" }
  }

  @Test(
    "bad values name the file, line, key and what is allowed",
    arguments: [
      BadValue(text: "[filter]\npreset = \"extreme\"", key: "filter.preset", fragment: "conservative, moderate"),
      BadValue(
        text: "[limits]\nmax_requests_per_shard = 60000", key: "limits.max_requests_per_shard", fragment: "1 to 50000"),
      BadValue(text: "[limits]\nmax_shard_mb = \"big\"", key: "limits.max_shard_mb", fragment: "whole number"),
      BadValue(
        text: "[limits]\nmax_concurrent_batches = 2.5", key: "limits.max_concurrent_batches", fragment: "whole number"),
      BadValue(text: "[budget]\nmax_cost_per_day = -1", key: "budget.max_cost_per_day", fragment: "0 or more"),
      BadValue(text: "[scheduler]\nrun_time = \"25:00\"", key: "scheduler.run_time", fragment: "HH:MM"),
      BadValue(
        text: "[scheduler]\nfrequency = \"monthly\"", key: "scheduler.frequency", fragment: "hourly, daily, weekly"),
      BadValue(text: "[provider]\nbase_url = \"ftp://x\"", key: "provider.base_url", fragment: "http"),
      BadValue(text: "[provider]\nmodel = \"\"", key: "provider.model", fragment: "not a model name"),
      BadValue(text: "[provider]\nname = \"acme\"", key: "provider.name", fragment: "openai"),
      BadValue(
        text: "[limits]\nshard_size = 3", key: "limits.shard_size", fragment: "keys of [limits]: max_requests_per_shard"
      ),
      BadValue(text: "[extras]\nx = 1", key: nil, fragment: "unknown section [extras]"),
      BadValue(text: "[filter]\nstop_lists = [\"klingon\"]", key: "filter.stop_lists", fragment: "fox, nltk-179"),
      BadValue(text: "[filter]\nstop_lists = \"fox\"", key: "filter.stop_lists", fragment: "list of strings"),
      BadValue(text: "[lexicon]\nwordnet_dir = \"\"", key: "lexicon.wordnet_dir", fragment: "empty"),
      BadValue(text: "model = \"x\"", key: "model", fragment: "belong under a section"),
    ])
  func badValue(_ example: BadValue) {
    #expect {
      try WorkspaceConfigFile.parse(example.text, file: "/ws/workspace.toml")
    } throws: { error in
      guard case WorkspaceError.invalidConfig(let problems) = error, let problem = problems.first else { return false }
      return problems.count == 1 && problem.file == "/ws/workspace.toml" && problem.line != nil
        && problem.key == example.key && problem.message.contains(example.fragment)
    }
  }

  @Test("every problem is reported at once, each with its line")
  func allProblems() throws {
    let text = "[limits]\nmax_shard_mb = 0\n[filter]\npreset = \"x\"\n[scheduler]\nnope = 1\n"
    do {
      _ = try WorkspaceConfigFile.parse(text, file: "w.toml")
      Issue.record("expected an error")
    } catch {
      guard case .invalidConfig(let problems) = error else { throw error }
      #expect(problems.map(\.line) == [2, 4, 6])
      #expect(error.description.contains("w.toml:4: filter.preset"))
    }
  }

  @Test("a syntax error names the line and column")
  func syntaxError() throws {
    do {
      _ = try WorkspaceConfigFile.parse("[provider]\nmodel = gpt\n", file: "w.toml")
      Issue.record("expected an error")
    } catch {
      guard case .invalidConfig(let problems) = error else { throw error }
      #expect(problems.first?.line == 2)
      #expect(problems.first?.message.contains("column 9") == true)
    }
  }
}
