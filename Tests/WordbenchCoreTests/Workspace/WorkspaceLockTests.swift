import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Workspace lock")
struct WorkspaceLockTests {
  @Test("a second writer fails at once, naming the holder's command, pid and time")
  func busy() async throws {
    let test = TestContext()
    let workspace = try test.workspace()
    let held = try await WorkspaceLock.acquire(
      at: workspace.lockURL, command: "corpus import", wait: false, context: test.context(processID: 111))
    do {
      _ = try await WorkspaceLock.acquire(
        at: workspace.lockURL, command: "prepare", wait: false, context: test.context(processID: 222))
      Issue.record("the second lock should have failed")
    } catch let error as WorkspaceError {
      guard case .busy(let holder) = error else { throw error }
      #expect(holder.command == "corpus import")
      #expect(holder.pid == 111)
      #expect(holder.since == test.clock.now())
      #expect(error.description.hasPrefix("workspace busy: corpus import (pid 111) since "))
    }
    held.release()
    let again = try await WorkspaceLock.acquire(
      at: workspace.lockURL, command: "prepare", wait: false, context: test.context(processID: 222))
    #expect(WorkspaceLock.readHolder(at: workspace.lockURL).command == "prepare")
    again.release()
  }

  @Test("with --wait-lock a writer waits, through the sleeper, until the lock is free")
  func waits() async throws {
    let test = TestContext()
    let workspace = try test.workspace()
    let held = try await WorkspaceLock.acquire(
      at: workspace.lockURL, command: "merge", wait: false, context: test.context(processID: 1))
    let context = test.context(processID: 2)
    let waiter = Task {
      try await WorkspaceLock.acquire(at: workspace.lockURL, command: "upload", wait: true, context: context)
    }
    while test.clock.sleeps.count < 3 { await Task.yield() }
    held.release()
    let lock = try await waiter.value
    #expect(lock.holder.command == "upload")
    #expect(
      test.progress.notices.map(\.message).first?.contains("waiting for the workspace lock: merge (pid 1)") == true)
    #expect(test.clock.sleeps.allSatisfy { $0 == WorkspaceLock.retryInterval })
  }

  @Test("a stale record from a process that died is taken over")
  func staleRecord() async throws {
    let test = TestContext()
    let workspace = try test.workspace()
    try Data("{\"command\":\"prepare\",\"pid\":999999,\"since\":\"2026-01-01T00:00:00Z\"}\n".utf8)
      .write(to: workspace.lockURL)
    let lock = try await WorkspaceLock.acquire(
      at: workspace.lockURL, command: "corpus import", wait: false, context: test.context())
    #expect(WorkspaceLock.readHolder(at: workspace.lockURL).pid == 4242)
    lock.release()
  }

  @Test("withLock releases the lock even when the body fails")
  func releasesOnError() async throws {
    struct Boom: Error {}
    let test = TestContext()
    let workspace = try test.workspace()
    await #expect(throws: Boom.self) {
      try await workspace.withLock(command: "x", wait: false, context: test.context()) { throw Boom() }
    }
    let lock = try await WorkspaceLock.acquire(
      at: workspace.lockURL, command: "y", wait: false, context: test.context())
    lock.release()
  }
}
