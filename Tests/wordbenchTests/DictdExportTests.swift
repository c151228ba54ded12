import Foundation
import Testing
import WordbenchTestSupport

/// `export --format dictd` served by Debian's real dictd and read with its dict client on loopback, and rebuilt by
/// dictfmt (`make test` installs all three).
@Suite("The dictd export with dictd, dict and dictfmt")
struct DictdExportTests {
  let folder = TemporaryFolder("wordbench-dictd")

  /// A free loopback port: bind to port 0 and read what the kernel chose.
  static func freePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        _ = bind(fd, pointer, length)
        return getsockname(fd, pointer, &length)
      }
    }
    return UInt16(bigEndian: address.sin_port)
  }

  @Test("dictd serves the exported database, dict finds a word in it, and dictfmt rebuilds the same index")
  func served() async throws {
    for tool in ["/usr/sbin/dictd", "/usr/bin/dict", "/usr/bin/dictfmt", "/usr/bin/dictunformat"] {
      try #require(
        FileManager.default.isExecutableFile(atPath: tool),
        "\(tool) is missing: apt-get install dictd dict dictfmt (make test does)")
    }
    let demo = try ChildProcess.run(BuildProducts.wordbench, ["demo", "--path", folder.file("demo").path])
    #expect(demo.status == 0, "\(demo.stderr)")
    // dictd started as root runs as its own user, so the database must be readable by others.
    let exportFolder = folder.file("export")
    try FileManager.default.createDirectory(at: exportFolder, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: exportFolder.path)
    let exported = try ChildProcess.run(
      BuildProducts.wordbench,
      [
        "export", "--format", "dictd", "--output", exportFolder.appendingPathComponent("wb").path, "--workspace",
        folder.file("demo").path,
      ])
    #expect(exported.status == 0, "\(exported.stderr)")
    // Exports are private (0600) like all data; serving them is a decision to share, as an administrator would.
    for name in ["wb.index", "wb.dict"] {
      let file = exportFolder.appendingPathComponent(name)
      let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
      #expect(mode == 0o600, "\(name)")
      try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    }
    let index = try String(contentsOf: exportFolder.appendingPathComponent("wb.index"), encoding: .utf8)
    let word = try #require(
      index.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        .first { !$0.hasPrefix("00-") && !$0.contains(" ") })

    // dictunformat turns the pair back into dictfmt's source format, and dictfmt builds its own pair from that: the
    // same headwords in the same order with articles of the same lengths means ours is what dictfmt makes.
    let rebuilt = try ChildProcess.run(
      URL(fileURLWithPath: "/bin/sh"),
      [
        "-c",
        "cd '\(exportFolder.path)' && dictunformat wb.index < wb.dict > raw.txt && "
          + "dictfmt -t --utf8 --allchars -s 'wordbench dictionary' rebuilt < raw.txt",
      ])
    #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
    func articles(_ name: String) throws -> [String] {
      try String(contentsOf: exportFolder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
        .filter { !$0.hasPrefix("00-database") }.map { line in
          let fields = line.split(separator: "\t")
          return "\(fields[0])\t\(fields[2])"
        }
    }
    let ours = try articles("wb.index")
    let theirs = try articles("rebuilt.index")
    #expect(ours.count == 200 && ours == theirs)

    let port = Self.freePort()
    let config = try folder.write(
      "dictd.conf",
      """
      global {
        listen_to 127.0.0.1
        port \(port)
        pid_file \(folder.file("dictd.pid").path)
      }
      access { allow * }
      database wb {
        data \(exportFolder.appendingPathComponent("wb.dict").path)
        index \(exportFolder.appendingPathComponent("wb.index").path)
      }

      """)
    // Started through a shell that leaves it running on its own: Foundation's Process, waiting on a long-lived
    // child that forks, stops reporting the exits of the test's other children.
    let started = try ChildProcess.run(
      URL(fileURLWithPath: "/bin/sh"),
      ["-c", "/usr/sbin/dictd -c '\(config.path)' -d nodetach >/dev/null 2>&1 & echo $!"])
    let serverPID = try #require(Int32(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    defer { kill(serverPID, SIGKILL) }
    let dict = URL(fileURLWithPath: "/usr/bin/dict")
    var databases = try ChildProcess.run(dict, ["-h", "127.0.0.1", "-p", "\(port)", "-D"])
    for _ in 0..<100 where databases.status != 0 {
      try await Task.sleep(for: .milliseconds(50))
      databases = try ChildProcess.run(dict, ["-h", "127.0.0.1", "-p", "\(port)", "-D"])
    }
    let listing = databases.stdout
    #expect(listing.contains("wordbench dictionary"), "\(databases.stderr)")
    let defined = try ChildProcess.run(dict, ["-h", "127.0.0.1", "-p", "\(port)", "-d", "wb", word])
    let text = defined.stdout
    #expect(defined.status == 0, "\(defined.stderr)")
    #expect(text.contains("1 definition found") && text.contains("  \(word)\n"), "\(text)")
  }
}
