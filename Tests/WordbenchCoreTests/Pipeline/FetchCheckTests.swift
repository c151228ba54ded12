import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Fetch: checking a downloaded file's lines")
struct FetchCheckTests {
  @Test("each line gives its custom_id; a line without one, malformed or binary gives nil; empty lines are skipped")
  func customIDs() throws {
    let folder = TemporaryFolder()
    var bytes = Array(
      """
      {"id":"batch_req_1","custom_id":"r0001-s1-000001","response":{"status_code":200,"body":{}},"error":null}

      {"id":"batch_req_2","response":null,"error":{"code":"server_error","message":"x"}}
      {"id":"batch_req_3","custom_id":"r0001-s1-0000
      {"custom_id":7}
      {"custom_id":"r0001-s1-000002"}

      """.utf8)
    bytes += [0xFF, 0xFE, 0x00, 0x7B, 0x0A]
    let file = try folder.write("output.jsonl", bytes: bytes)
    var ids: [String?] = []
    try Fetch.forEachCustomID(file) { ids.append($0) }
    #expect(ids == ["r0001-s1-000001", nil, nil, nil, "r0001-s1-000002", nil])
  }
}
