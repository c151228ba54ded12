import Foundation
import Testing
import WordbenchTestSupport

/// The emulator speaks the API well enough for the official OpenAI Python SDK (`make test` installs it in
/// `.build/sdk-venv`): files.create, batches.create/retrieve/list/cancel, files.content.
@Suite("The emulator with the OpenAI Python SDK")
struct OpenAISDKTests {
  let folder = TemporaryFolder("wordbench-sdk")

  @Test("scripts/sdk/openai_sdk_check.py passes against a running emulator")
  func sdk() async throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
      .standardizedFileURL
    let python = repository.appendingPathComponent(".build/sdk-venv/bin/python")
    try #require(
      FileManager.default.isExecutableFile(atPath: python.path),
      "no SDK venv: run scripts/sdk/setup-openai-sdk.sh .build/sdk-venv (make test does)")
    let lines = ["goose", "river", "happy"].enumerated().map { index, word in
      #"{"custom_id":"sdk-\#(index)","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Headword: \#(word)"}]}}"#
    }
    let shard = try folder.write("sdk.jsonl", lines.joined(separator: "\n") + "\n")
    let emulator = try ChildProcess(BuildProducts.wordbench, ["emulator", "--port", "0", "--speed", "20"])
    defer { emulator.kill() }
    var url = ""
    for _ in 0..<600 where url.isEmpty {
      url = emulator.stdoutSoFar.split(separator: "\n").first.map(String.init) ?? ""
      if url.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
    }
    let check = try ChildProcess.run(
      python, [repository.appendingPathComponent("scripts/sdk/openai_sdk_check.py").path, url, shard.path])
    #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    #expect(check.stdout.hasSuffix("OK\n"))
  }
}
