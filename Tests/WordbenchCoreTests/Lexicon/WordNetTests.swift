import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("WordNet")
struct WordNetTests {
  /// A tiny WordNet in the WNDB layout, written by the test.
  func miniWordNet(_ folder: TemporaryFolder, extra: [String: String] = [:]) throws -> URL {
    let files = [
      "index.noun":
        "  1 licence header line\nbox n 1 0 1 0 00000000\ncat n 1 0 1 0 00000000\nhippie n 1 0 1 0 00001100\n"
        + "hippies n 1 0 1 0 00001200\nmormon n 1 0 1 0 00000300\noptic n 1 0 1 0 00001300\n"
        + "optics n 1 0 1 0 00001000\nplural_form n 1 0 1 0 00000800\ntongs n 1 0 1 0 00000900\n"
        + "williams n 2 0 2 0 00000100 00000200\n",
      "data.noun": """
        1 licence header line
      00000000 06 n 02 box 0 Box 0 001 @ 00000400 n 0000 | a container
      00000100 18 n 02 Williams 0 Tennessee_Williams 0 001 @i 00000500 n 0000 | a playwright
      00000200 18 n 01 Williams 1 002 @i 00000500 n 0000 + 00000600 n 0101 | a theologian
      00000300 18 n 01 Mormon 0 001 @ 00000700 n 0000 | a member of a church
      00000800 10 n 02 plural 0 plural_form 0 000 | the form of a word for more than one
      00000900 06 n 01 tongs 0 001 ;u 00000800 n 0000 | a tool for taking hold of things
      00001000 09 n 01 optics 0 000 | the branch of physics that studies light
      00001100 18 n 01 hippie 0 000 | someone who rejected established culture
      00001200 14 n 01 hippies 0 000 | the youth subculture of the 1960s
      00001300 08 n 01 optic 0 000 | the organ of sight

      """,
      "index.verb": "run v 1 0 1 0 00000000\n",
      "index.adj": "big a 1 0 1 0 00000000\n",
      "index.adv": "fast r 1 0 1 0 00000000\n",
      "noun.exc": "aurar eyrir\naurar eyrir2\nmice mouse\n",
      "verb.exc": "ran run\n",
      "adj.exc": "bigger big\n",
      "adv.exc": "",
    ].merging(extra) { $1 }
    for (name, text) in files { try folder.write("wn/\(name)", text) }
    return folder.file("wn")
  }

  @Test("loads lemmas per part of speech and exception lists, a repeated key taking the later line")
  func loads() throws {
    let folder = TemporaryFolder()
    let wordNet = try WordNet.load(from: miniWordNet(folder))
    #expect(wordNet.partsOfSpeech(of: "box") == [.noun])
    #expect(wordNet.isLemma("run", .verb))
    #expect(!wordNet.isLemma("run", .noun))
    #expect(wordNet.exceptionBases(of: "aurar", .noun) == ["eyrir2"])
    #expect(wordNet.exceptionBases(of: "ran", .verb) == ["run"])
    #expect(wordNet.exceptionBases(of: "ran", .noun) == nil)
  }

  @Test("data.noun tells names from common nouns, and names of individuals from names of groups")
  func names() throws {
    let folder = TemporaryFolder()
    let lemmas = try WordNet.load(from: miniWordNet(folder)).lemmas
    let box = try #require(lemmas.entry("box"))
    #expect(!box.isName && !box.isIndividual, "a lowercase sense makes a common noun")
    let williams = try #require(lemmas.entry("williams"))
    #expect(williams.isName && williams.isIndividual)
    let mormon = try #require(lemmas.entry("mormon"))
    #expect(mormon.isName && !mormon.isIndividual)
    #expect(lemmas.entry("tennessee_williams") == nil, "only lemmas of the index files are in the table")
  }

  @Test("data.noun tells plural-only nouns (usage domain: plural form) from the rest")
  func pluralOnly() throws {
    let folder = TemporaryFolder()
    let lemmas = try WordNet.load(from: miniWordNet(folder)).lemmas
    #expect(try #require(lemmas.entry("tongs")).isPluralOnly)
    #expect(try !#require(lemmas.entry("box")).isPluralOnly)
    #expect(try !#require(lemmas.entry("plural_form")).isPluralOnly)
  }

  @Test("data.noun tells which kinds of thing a noun names (its lexicographer files)")
  func kinds() throws {
    let folder = TemporaryFolder()
    let lemmas = try WordNet.load(from: miniWordNet(folder)).lemmas
    let optics = try #require(lemmas.entry("optics"))
    #expect(!optics.namesKindOf(try #require(lemmas.entry("optic"))), "a science is not the eye")
    #expect(optics.namesKindOf(optics))
    let hippies = try #require(lemmas.entry("hippies"))
    #expect(hippies.namesKindOf(try #require(lemmas.entry("hippie"))), "a group counts as persons")
    #expect(try #require(lemmas.entry("tongs")).namesThingsOnly)
    #expect(!optics.namesThingsOnly)
    #expect(try !#require(lemmas.entry("run")).namesThingsOnly, "a verb is not a noun of things")
  }

  @Test("a missing folder names the package to install")
  func missing() {
    #expect {
      try WordNet.load(from: URL(fileURLWithPath: "/nonexistent/wordnet"))
    } throws: { error in
      guard case LexiconError.wordNetMissing = error else { return false }
      return "\(error)".contains("wordnet-base")
    }
  }

  @Test(
    "a corrupt file is an error naming it",
    arguments: [
      ["index.verb": ""],
      ["verb.exc": "ran run\nlonely\n"],
      ["data.noun": "00000000 06 n 02 box 0\n"],
      ["data.noun": "00000000 x6 n 01 box 0 000 | a container\n"],
    ])
  func corrupt(_ damage: [String: String]) throws {
    let folder = TemporaryFolder()
    let directory = try miniWordNet(folder, extra: damage)
    #expect {
      try WordNet.load(from: directory)
    } throws: { error in
      guard case LexiconError.wordNetCorrupt(let file, _, _) = error else { return false }
      return file.hasSuffix(damage.keys.first!)
    }
  }

  @Test("senses come with part of speech, gloss, examples, synonyms and antonyms")
  func senses() throws {
    let wordNet = try TestLexicon.shared().wordNet
    let dog = try wordNet.senses(of: "dog", pos: .noun, limit: 1)
    #expect(dog.first?.gloss.contains("domesticated") == true)
    #expect(dog.first?.synonyms.contains("domestic dog") == true)
    let good = try wordNet.senses(of: "good", pos: .adjective, limit: 3)
    #expect(good.contains { $0.antonyms.contains("bad") })
    #expect(good.allSatisfy { $0.partOfSpeech == .adjective })
    #expect(try wordNet.senses(of: "zzxqv").isEmpty)
  }

  @Test("sense-tag counts come from cntlist.rev")
  func tagCounts() throws {
    let wordNet = try TestLexicon.shared().wordNet
    #expect(wordNet.tagCount(of: "year", .noun) > wordNet.tagCount(of: "years", .noun) * 5)
  }
}
