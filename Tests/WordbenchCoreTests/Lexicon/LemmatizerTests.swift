import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

/// One row of the lemmatizer table: a word and the headword wordbench must give.
struct LemmaCase: CustomTestStringConvertible, Sendable {
  let word: String
  let lemma: String
  init(_ word: String, _ lemma: String) {
    self.word = word
    self.lemma = lemma
  }
  var testDescription: String { "\(word) → \(lemma)" }
}

@Suite("Lemmatizer")
struct LemmatizerTests {
  /// Tricky cases, with NLTK 3.9's noun-then-verb WordNetLemmatizer answer beside each for comparison.
  static let table: [LemmaCase] = [
    LemmaCase("boss", "boss"),  // NLTK: bos
    LemmaCase("news", "news"),  // NLTK: news
    LemmaCase("physics", "physics"),  // NLTK: physic
    LemmaCase("species", "species"),  // NLTK: specie
    LemmaCase("glasses", "glass"),  // NLTK: glass
    LemmaCase("hoping", "hope"),  // NLTK: hop
    LemmaCase("believes", "believe"),  // NLTK: belief
    LemmaCase("bared", "bare"),  // NLTK: bar
    LemmaCase("attaches", "attach"),  // NLTK: attache
    LemmaCase("us", "us"),  // NLTK: u
    LemmaCase("was", "be"),  // NLTK: wa
    LemmaCase("has", "have"),  // NLTK: ha
    LemmaCase("does", "do"),  // NLTK: doe
    LemmaCase("dies", "die"),  // NLTK: dy
    LemmaCase("its", "its"),  // NLTK: it
    LemmaCase("as", "as"),  // NLTK: a
    LemmaCase("is", "be"),  // NLTK: be
    LemmaCase("bigger", "big"),  // NLTK: bigger
    LemmaCase("happiest", "happy"),  // NLTK: happiest
    LemmaCase("better", "better"),  // NLTK: better
    LemmaCase("bikers", "biker"),  // NLTK: bikers
    LemmaCase("benchmarking", "benchmark"),  // NLTK: benchmarking
    LemmaCase("years", "year"),  // NLTK: year
    LemmaCase("times", "time"),  // NLTK: time
    LemmaCase("means", "means"),  // NLTK: mean
    LemmaCase("data", "data"),  // NLTK: data
    LemmaCase("men", "man"),  // NLTK: men
    LemmaCase("teeth", "tooth"),  // NLTK: teeth
    LemmaCase("feet", "foot"),  // NLTK: foot
    LemmaCase("geese", "goose"),  // NLTK: goose
    LemmaCase("children", "child"),  // NLTK: child
    LemmaCase("mice", "mouse"),  // NLTK: mouse
    LemmaCase("criteria", "criterion"),  // NLTK: criterion
    LemmaCase("phenomena", "phenomenon"),  // NLTK: phenomenon
    LemmaCase("analyses", "analysis"),  // NLTK: analysis
    LemmaCase("crises", "crisis"),  // NLTK: crisis
    LemmaCase("axes", "axis"),  // NLTK: ax
    LemmaCase("wolves", "wolf"),  // NLTK: wolf
    LemmaCase("knives", "knife"),  // NLTK: knife
    LemmaCase("lives", "life"),  // NLTK: life
    LemmaCase("leaves", "leave"),  // NLTK: leaf
    LemmaCase("taxes", "tax"),  // NLTK: tax
    LemmaCase("buses", "bus"),  // NLTK: bus
    LemmaCase("boxes", "box"),  // NLTK: box
    LemmaCase("dictionaries", "dictionary"),  // NLTK: dictionary
    LemmaCase("studies", "study"),  // NLTK: study
    LemmaCase("flies", "fly"),  // NLTK: fly
    LemmaCase("apples", "apple"),  // NLTK: apple
    LemmaCase("running", "running"),  // NLTK: run
    LemmaCase("writing", "writing"),  // NLTK: write
    LemmaCase("evening", "evening"),  // NLTK: even
    LemmaCase("building", "building"),  // NLTK: build
    LemmaCase("rose", "rose"),  // NLTK: rise
    LemmaCase("saw", "saw"),  // NLTK: saw
    LemmaCase("found", "found"),  // NLTK: find
    LemmaCase("left", "left"),  // NLTK: leave
    LemmaCase("lying", "lie"),  // NLTK: lie
    LemmaCase("dying", "dying"),  // NLTK: die
    LemmaCase("written", "write"),  // NLTK: write
    LemmaCase("went", "go"),  // NLTK: go
    LemmaCase("ran", "run"),  // NLTK: run
    LemmaCase("stopped", "stop"),  // NLTK: stop
    LemmaCase("hopping", "hop"),  // NLTK: hop
    LemmaCase("studied", "study"),  // NLTK: study
    LemmaCase("cooked", "cook"),  // NLTK: cook
    LemmaCase("tired", "tired"),  // NLTK: tire
    LemmaCase("interested", "interested"),  // NLTK: interest
    LemmaCase("used", "use"),  // NLTK: use
    LemmaCase("quickly", "quickly"),  // NLTK: quickly
    LemmaCase("during", "during"),  // NLTK: during
    LemmaCase("nothing", "nothing"),  // NLTK: nothing
    LemmaCase("x-rays", "x-ray"),  // NLTK: x-ray
    LemmaCase("self-assessments", "self-assessment"),  // NLTK: self-assessments
    LemmaCase("self-driving", "self-driving"),  // NLTK: self-driving
    LemmaCase("well-known", "well-known"),  // NLTK: well-known
    LemmaCase("dog's", "dog"),  // NLTK: dog's
    LemmaCase("dogs'", "dog"),  // NLTK: dogs'
    LemmaCase("it's", "it's"),  // NLTK: it's
    LemmaCase("don't", "don't"),  // NLTK: don't
    LemmaCase("o'clock", "o'clock"),  // NLTK: o'clock
    LemmaCase("cafés", "café"),  // NLTK: cafés
    LemmaCase("naïve", "naïve"),  // NLTK: naïve
    LemmaCase("Dogs", "dog"),  // NLTK: Dogs
    LemmaCase("emails", "email"),  // NLTK: email
    LemmaCase("arms", "arm"),  // NLTK: arm
    LemmaCase("williams", "williams"),  // NLTK: williams
    LemmaCase("roberts", "roberts"),  // NLTK: robert
    LemmaCase("douglass", "douglass"),  // NLTK: douglas
    LemmaCase("ives", "ives"),  // NLTK: ives
    LemmaCase("pauling", "pauling"),  // NLTK: pauling
    LemmaCase("oled", "oled"),  // NLTK: oled
    LemmaCase("banks", "bank"),  // NLTK: bank
    LemmaCase("mormons", "mormon"),  // NLTK: mormon
    LemmaCase("hustler", "hustler"),  // NLTK: hustler
    LemmaCase("zipper", "zipper"),  // NLTK: zipper
    LemmaCase("javier", "javier"),  // NLTK: javier
    LemmaCase("grodier", "grody"),  // NLTK: grodier
    // A WordNet word is a verb form only of a WordNet verb.
    LemmaCase("herring", "herring"),  // NLTK: herring
    LemmaCase("lemming", "lemming"),  // NLTK: lemming
    LemmaCase("bigoted", "bigoted"),  // NLTK: bigoted
    LemmaCase("untilled", "untilled"),  // NLTK: untilled
    // s, x, z and sh take -es, never a plain -s.
    LemmaCase("lass", "lass"),  // NLTK: lass
    LemmaCase("adventuress", "adventuress"),  // NLTK: adventuress
    LemmaCase("deadliness", "deadliness"),  // NLTK: deadliness
    // Step 6 prefers a base WordNet knows to a more frequent fragment.
    LemmaCase("agued", "ague"),  // NLTK: agued
    LemmaCase("caressing", "caress"),  // NLTK: caress
    LemmaCase("finessed", "finesse"),  // NLTK: finessed
    LemmaCase("faroes", "faroes"),  // NLTK: faroes
    // Plural-only nouns (WordNet's usage domain "plural form") whose singular is no noun.
    LemmaCase("tights", "tights"),  // NLTK: tights
    LemmaCase("tongs", "tongs"),  // NLTK: tongs
    // A WordNet noun never sense-tagged is the plural only of a noun naming the same kind of thing (a group counts
    // as persons), or of an agent noun or gerund of a WordNet verb that WordNet lacks.
    LemmaCase("optics", "optics"),  // NLTK: optic
    LemmaCase("statics", "statics"),  // NLTK: static
    LemmaCase("dominos", "dominos"),  // NLTK: domino
    LemmaCase("genetics", "genetics"),  // NLTK: genetics
    LemmaCase("menses", "menses"),  // NLTK: menses
    LemmaCase("caries", "caries"),  // NLTK: caries
    LemmaCase("hippies", "hippie"),  // NLTK: hippy
    LemmaCase("rockers", "rocker"),  // NLTK: rocker
    LemmaCase("doings", "doing"),  // NLTK: doings
    LemmaCase("needs", "need"),  // NLTK: need
    // A science in -ics is not the plural of its adjective.
    LemmaCase("analytics", "analytics"),  // NLTK: analytics
    LemmaCase("photonics", "photonics"),  // NLTK: photonics
    // A noun of things only is no verb form.
    LemmaCase("carpeting", "carpeting"),  // NLTK: carpet
    LemmaCase("whiting", "whiting"),  // NLTK: white
    LemmaCase("offing", "offing"),  // NLTK: off
  ]

  @Test("the tricky-case table", arguments: table)
  func lemmaOf(_ example: LemmaCase) throws {
    let normalization = try TestLexicon.shared().lemmatizer.normalize(example.word)
    #expect(normalization.lemma == example.lemma, "\(normalization.reason)")
  }

  @Test("the table is at least 60 cases")
  func tableSize() {
    #expect(Self.table.count >= 60)
  }

  @Test("every decision has a reason that names its evidence")
  func reasons() throws {
    let lemmatizer = try TestLexicon.shared().lemmatizer
    #expect(lemmatizer.normalize("geese").reason == .irregular(base: "goose", .noun))
    #expect(lemmatizer.normalize("hoping").reason == .inflection(.presentParticiple, base: "hope", .verb))
    #expect(lemmatizer.normalize("boss").reason.code == "headword")
    #expect(lemmatizer.normalize("years").reason.code == "rare-headword")
    #expect(lemmatizer.normalize("benchmarking").reason.code == "spelling")
    #expect(lemmatizer.normalize("dog's").reason.code == "possessive")
    #expect(lemmatizer.normalize("zzxqv").reason == .unknown)
    #expect(lemmatizer.normalize("analytics").reason == .science(base: "analytic"))
  }

  @Test(
    "non-ASCII, odd and empty input never crashes and stays sensible",
    arguments: [
      "Ærøskøbing", "straße", "👍", "naïve", "", "'", "-", "--", "a'", "'s", "x-", "ÉCOLE", "日本語",
    ])
  func oddInput(_ word: String) throws {
    let normalization = try TestLexicon.shared().lemmatizer.normalize(word)
    #expect(normalization.word == word)
    #expect(normalization.lemma == word.lowercased() || !normalization.lemma.isEmpty)
  }

  @Test("normalizing many words on all cores gives the same answers in the same order")
  func parallel() throws {
    let lexicon = try TestLexicon.shared()
    let words = (0..<6000).map { LemmatizerTests.table[$0 % LemmatizerTests.table.count].word }
    let together = lexicon.lemmatizer.normalizeAll(words)
    #expect(together.map(\.lemma) == words.map { lexicon.lemmatizer.normalize($0).lemma })
  }
}
