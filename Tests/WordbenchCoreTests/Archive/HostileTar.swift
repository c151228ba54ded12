import Foundation

/// Writes plain ustar archives entry by entry, including the entries wordbench must refuse (absolute names, `..`,
/// links, devices), so the tests build hostile archives themselves instead of committing binary fixtures.
struct HostileTar {
  enum Kind: UInt8 {
    case file = 0x30  // "0"
    case hardLink = 0x31  // "1"
    case symbolicLink = 0x32  // "2"
    case characterDevice = 0x33  // "3"
    case directory = 0x35  // "5"
  }

  private(set) var bytes: [UInt8] = []

  mutating func add(_ name: String, _ kind: Kind = .file, content: String = "", link: String = "") {
    let data = Array(content.utf8)
    var header = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int, width: Int) {
      for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
    }
    func octal(_ value: Int, at offset: Int, width: Int) {
      put(String(value, radix: 8).leftPadded(to: width - 1) + "\0", at: offset, width: width)
    }
    put(name, at: 0, width: 100)
    octal(kind == .directory ? 0o755 : 0o644, at: 100, width: 8)
    octal(0, at: 108, width: 8)
    octal(0, at: 116, width: 8)
    octal(kind == .file ? data.count : 0, at: 124, width: 12)
    octal(1_700_000_000, at: 136, width: 12)
    header[156] = kind.rawValue
    put(link, at: 157, width: 100)
    put("ustar\0", at: 257, width: 6)
    put("00", at: 263, width: 2)
    octal(0, at: 329, width: 8)
    octal(0, at: 337, width: 8)
    // The checksum is taken with its own field as spaces.
    for index in 148..<156 { header[index] = 0x20 }
    let sum = header.reduce(0) { $0 + Int($1) }
    put(String(sum, radix: 8).leftPadded(to: 6) + "\0 ", at: 148, width: 8)
    bytes += header
    if kind == .file {
      bytes += data
      bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }
  }

  /// The archive with its end marker, written to `url`.
  func write(to url: URL) throws {
    try Data(bytes + [UInt8](repeating: 0, count: 1024)).write(to: url)
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
