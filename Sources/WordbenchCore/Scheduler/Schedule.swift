import Foundation

/// When scheduled cycles fall, in local time: hourly at the run time's minute, daily at the run time, weekly on a
/// weekday at the run time.
///
/// Times come from the calendar of the given time zone, so they stay on the wall clock across daylight-saving
/// changes: a run time that does not exist on a spring-forward day runs at the first minute after the gap, and one
/// that happens twice on a fall-back day runs the first time only.
public struct Schedule: Equatable, Sendable {
  public var frequency: ScheduleFrequency
  public var hour: Int
  public var minute: Int
  public var weekday: Weekday
  public var timeZone: TimeZone

  public init(
    frequency: ScheduleFrequency, runTime: String, weekday: Weekday = .monday, timeZone: TimeZone = .current
  ) {
    self.frequency = frequency
    let parts = runTime.split(separator: ":").compactMap { Int($0) }
    hour = parts.first ?? 0
    minute = parts.count > 1 ? parts[1] : 0
    self.weekday = weekday
    self.timeZone = timeZone
  }

  /// Why `text` is not a run time (HH:MM), or nil when it is one.
  public static func problem(runTime text: String) -> String? { ConfigSchema.validateTimeOfDay(text) }

  public init(_ config: WorkspaceConfig.Scheduler, timeZone: TimeZone = .current) {
    self.init(frequency: config.frequency, runTime: config.runTime, weekday: config.weekday, timeZone: timeZone)
  }

  private var calendar: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar
  }

  private var components: DateComponents {
    switch frequency {
    case .hourly: DateComponents(minute: minute, second: 0)
    case .daily: DateComponents(hour: hour, minute: minute, second: 0)
    case .weekly: DateComponents(hour: hour, minute: minute, second: 0, weekday: weekday.number)
    }
  }

  /// The first scheduled time strictly after `date`.
  public func next(after date: Date) -> Date {
    calendar.nextDate(
      after: date, matching: components, matchingPolicy: .nextTime, repeatedTimePolicy: .first,
      direction: .forward) ?? date.addingTimeInterval(3600)
  }

  /// A cycle is due when a scheduled time has come since the last cycle (or since the scheduler was set up, when
  /// no cycle ran yet). Runs missed while nothing was running make one cycle, not one each.
  public func isDue(since last: Date, now: Date) -> Bool {
    next(after: last) <= now
  }
}
