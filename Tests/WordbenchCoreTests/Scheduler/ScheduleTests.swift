import Foundation
import Testing

@testable import WordbenchCore

@Suite("Schedule")
struct ScheduleTests {
  static let berlin = TimeZone(identifier: "Europe/Berlin")!

  /// A wall-clock time in Berlin.
  static func local(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = berlin
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.date(from: text)!
  }

  static func text(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = berlin
    formatter.dateFormat = "yyyy-MM-dd HH:mm xxx"
    return formatter.string(from: date)
  }

  @Test(
    "the next run after a time, for each frequency",
    arguments: [
      (ScheduleFrequency.daily, "02:00", "2026-06-10 01:59", "2026-06-10 02:00 +02:00"),
      (.daily, "02:00", "2026-06-10 02:00", "2026-06-11 02:00 +02:00"),
      (.daily, "23:30", "2026-12-31 23:45", "2027-01-01 23:30 +01:00"),
      (.hourly, "02:15", "2026-06-10 10:20", "2026-06-10 11:15 +02:00"),
      (.hourly, "00:00", "2026-06-10 10:00", "2026-06-10 11:00 +02:00"),
      // 2026-06-10 is a Wednesday; weekly runs are on Mondays.
      (.weekly, "02:00", "2026-06-10 12:00", "2026-06-15 02:00 +02:00"),
      (.weekly, "02:00", "2026-06-15 01:00", "2026-06-15 02:00 +02:00"),
    ])
  func next(frequency: ScheduleFrequency, runTime: String, after: String, expected: String) {
    let schedule = Schedule(frequency: frequency, runTime: runTime, weekday: .monday, timeZone: Self.berlin)
    #expect(Self.text(schedule.next(after: Self.local(after))) == expected)
  }

  @Test("daylight saving: a run time in the spring gap runs just after it; one that repeats in autumn runs once")
  func daylightSaving() {
    let schedule = Schedule(frequency: .daily, runTime: "02:30", timeZone: Self.berlin)
    // 2026-03-29: clocks go from 02:00 to 03:00, so 02:30 does not exist that day.
    let spring = schedule.next(after: Self.local("2026-03-28 12:00"))
    #expect(Self.text(spring) == "2026-03-29 03:00 +02:00")
    #expect(Self.text(schedule.next(after: spring)) == "2026-03-30 02:30 +02:00")
    // 2026-10-25: clocks go from 03:00 back to 02:00, so 02:30 happens twice; only the first is a run.
    let autumn = schedule.next(after: Self.local("2026-10-24 12:00"))
    #expect(Self.text(autumn) == "2026-10-25 02:30 +02:00")
    let after = schedule.next(after: autumn)
    #expect(Self.text(after) == "2026-10-26 02:30 +01:00")
    #expect(after.timeIntervalSince(autumn) == 25 * 3600, "the day is 25 hours long; the run stays at 02:30")
  }

  @Test("missed runs make one cycle at once, not one each")
  func missedRuns() {
    let schedule = Schedule(frequency: .hourly, runTime: "00:00", timeZone: Self.berlin)
    let last = Self.local("2026-06-10 10:00")
    #expect(!schedule.isDue(since: last, now: Self.local("2026-06-10 10:59")))
    #expect(schedule.isDue(since: last, now: Self.local("2026-06-10 11:00")))
    // Down for three days: due once now; after that cycle, the next is the next hour.
    let now = Self.local("2026-06-13 09:40")
    #expect(schedule.isDue(since: last, now: now))
    #expect(!schedule.isDue(since: now, now: now))
    #expect(Self.text(schedule.next(after: now)) == "2026-06-13 10:00 +02:00")
  }

  @Test("run times are checked", arguments: ["2:00", "24:00", "12:60", "noon", "12:00:00"])
  func badRunTime(text: String) {
    #expect(Schedule.problem(runTime: text) != nil)
  }
}

@Suite("Auto-scaling rule")
struct AutoScalerTests {
  static func batches(_ completed: Int, of requests: Int, hours: Double, count: Int = 5) -> [BatchOutcome] {
    (1...count).map {
      BatchOutcome(
        run: "r0001", shard: $0, requests: requests, completed: completed, turnaroundSeconds: Int(hours * 3600))
    }
  }

  @Test(
    "the batch size moves with the success rate and turnaround of recent batches, within its bounds",
    arguments: [
      // (current, recent batches, expected)
      (1000, batches(1000, of: 1000, hours: 1), 1500),  // all good and quick: grow by half
      (40_000, batches(1000, of: 1000, hours: 1), 50_000),  // ...but never above the maximum
      (1000, batches(850, of: 1000, hours: 1), 500),  // under 90 % success: halve
      (1000, batches(1000, of: 1000, hours: 20), 500),  // slow, near the 24-hour window: halve
      (600, batches(850, of: 1000, hours: 1), 500),  // ...but never under the minimum
      (1000, batches(950, of: 1000, hours: 1), 1000),  // between the thresholds: stay
      (1000, batches(1000, of: 1000, hours: 10), 1000),  // between the thresholds: stay
      (1000, [], 1000),  // nothing finished yet: stay
    ])
  func rule(current: Int, recent: [BatchOutcome], expected: Int) {
    #expect(AutoScaler.next(current: current, recent: recent, minimum: 500, maximum: 50_000) == expected)
  }

  @Test("only the last five batches count")
  func window() {
    let old = Self.batches(0, of: 1000, hours: 23, count: 10)
    let recent = Self.batches(1000, of: 1000, hours: 1)
    #expect(AutoScaler.next(current: 1000, recent: old + recent, minimum: 500, maximum: 50_000) == 1500)
  }
}
