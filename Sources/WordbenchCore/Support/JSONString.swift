/// Writes JSON string literals straight into a byte buffer: the request builder writes hundreds of thousands of
/// lines, and going through `JSONEncoder` for each would cost more than everything else together.
enum JSONString {
  private static let hex = Array("0123456789abcdef".utf8)

  /// Appends `text` as a quoted JSON string: `"` and `\` escaped, control characters as `\n`, `\t` or `\u00XX`,
  /// everything else (non-ASCII letters, emoji) as its UTF-8 bytes.
  static func append(_ text: String, to out: inout [UInt8]) {
    out.append(0x22)
    for byte in text.utf8 {
      switch byte {
      case 0x22: out.append(contentsOf: [0x5C, 0x22])
      case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
      case 0x0D: out.append(contentsOf: [0x5C, 0x72])
      case 0x09: out.append(contentsOf: [0x5C, 0x74])
      case 0..<0x20:
        out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
      default: out.append(byte)
      }
    }
    out.append(0x22)
  }

  /// `text` as a quoted JSON string.
  static func quoted(_ text: String) -> String {
    var out: [UInt8] = []
    append(text, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
