import Foundation

/// The one JSON style of every file wordbench writes: sorted keys, ISO 8601 dates, no escaped slashes.
public enum JSONCoding {
  public static func encoder(pretty: Bool = true) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
  }

  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }

  /// One JSON object on one line, newline-terminated: the JSONL record format.
  public static func line(_ value: some Encodable) throws -> Data {
    var data = try encoder(pretty: false).encode(value)
    data.append(0x0A)
    return data
  }

  /// A readable description of a decoding failure: the path of keys and what was wrong.
  public static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return String(describing: error) }
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return "\(path(context)): \(context.debugDescription)"
    case .keyNotFound(let key, let context):
      return "\(path(context)): missing key \"\(key.stringValue)\""
    @unknown default:
      return String(describing: error)
    }
  }
}
