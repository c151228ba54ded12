// swift-tools-version: 6.1
import PackageDescription

/// Every Swift target is built in Swift 6 mode with the same upcoming features, so the rules are one place.
let strictSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "wordbench",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "wordbench", targets: ["wordbench"]),
    .library(name: "WordbenchCore", targets: ["WordbenchCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // Headers only: libcurl itself is opened on first use (see Sources/CCurl/shim.h), not linked.
    .systemLibrary(
      name: "CCurl",
      providers: [.apt(["libcurl4-openssl-dev"])]
    ),
    .systemLibrary(
      name: "CArchive",
      pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]
    ),
    .target(
      name: "WordbenchCore",
      dependencies: [
        "CCurl",
        "CArchive",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      resources: [.copy("Lexicon/Resources"), .copy("Requests/Data")],
      swiftSettings: strictSettings
    ),
    .target(
      name: "WordbenchEmulator",
      dependencies: ["WordbenchCore"],
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "wordbench",
      dependencies: [
        "WordbenchCore",
        "WordbenchEmulator",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "wordbench-bench",
      dependencies: ["WordbenchCore"],
      path: "Benchmarks/wordbench-bench",
      swiftSettings: strictSettings
    ),
    .executableTarget(
      name: "wordbench-crashtest",
      dependencies: ["WordbenchCore", "WordbenchTestSupport"],
      path: "Tools/wordbench-crashtest",
      swiftSettings: strictSettings
    ),
    .target(
      name: "WordbenchTestSupport",
      path: "Tests/WordbenchTestSupport",
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "WordbenchCoreTests",
      dependencies: [
        "WordbenchCore",
        "WordbenchEmulator",
        "WordbenchTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      resources: [.copy("Requests/Vectors")],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "wordbenchTests",
      dependencies: ["wordbench", "WordbenchCore", "WordbenchEmulator", "WordbenchTestSupport"],
      swiftSettings: strictSettings
    ),
  ]
)
