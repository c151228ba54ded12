import Foundation

/// A `multipart/form-data` body split into its named parts.
struct MultipartForm {
  struct Part {
    var name: String
    var fileName: String?
    var data: Data
  }

  var parts: [Part]

  /// Parses `body` with the boundary from `contentType`; nil when it is not multipart or is malformed.
  init?(contentType: String, body: Data) {
    guard contentType.lowercased().hasPrefix("multipart/form-data"),
      let range = contentType.range(of: "boundary=")
    else { return nil }
    var boundary = String(contentType[range.upperBound...])
    if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
    boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    let delimiter = Data("--\(boundary)".utf8)
    var parts: [Part] = []
    var position = body.startIndex
    guard let first = body.range(of: delimiter, in: position..<body.endIndex) else { return nil }
    position = first.upperBound
    while true {
      // After a delimiter: "--" ends the body, CRLF starts a part.
      if body[position...].starts(with: Data("--".utf8)) { break }
      guard body[position...].starts(with: Data("\r\n".utf8)) else { return nil }
      position += 2
      guard let headEnd = body.range(of: Data("\r\n\r\n".utf8), in: position..<body.endIndex),
        let next = body.range(of: Data("\r\n".utf8) + delimiter, in: headEnd.upperBound..<body.endIndex)
      else { return nil }
      let head = String(decoding: body[position..<headEnd.lowerBound], as: UTF8.self)
      var name = ""
      var fileName: String?
      for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition") {
        name = Self.parameter("name", in: line) ?? ""
        fileName = Self.parameter("filename", in: line)
      }
      parts.append(Part(name: name, fileName: fileName, data: Data(body[headEnd.upperBound..<next.lowerBound])))
      position = next.upperBound
    }
    self.parts = parts
  }

  func part(_ name: String) -> Part? { parts.first { $0.name == name } }

  /// `name="value"` in a header line.
  static func parameter(_ name: String, in line: String) -> String? {
    for piece in line.split(separator: ";") {
      let trimmed = piece.trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix("\(name)=") else { continue }
      return String(trimmed.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    return nil
  }
}
