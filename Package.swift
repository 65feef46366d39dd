// swift-tools-version:6.0
import PackageDescription

// Layers (arrows point down only):
//   Engine -> CInterruptCleanup (atomic file writes leave no temp file behind a Ctrl-C)
//   mammoseg (CLI) -> Mammography -> Engine, MammoData
//   DNNLBackend -> Engine, CDNNL, CWinogradKernels, CThinConvolution   (the only code that imports oneDNN)
//   MammoData -> Engine, ImageCodecs, CPNG, CZlib  (image files, DICOM, importers, phantoms, loader)
//   ImageCodecs -> COpenJPEG, CCharLS, CJPEGTurbo    (compressed codestreams → samples; no DICOM)
//   MessagePassing -> Engine, CMPI    (the only code that imports MPI; `mpirun -np N mammoseg train`)
let package = Package(
    name: "MammoSeg",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mammoseg", targets: ["mammoseg"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Mammography", targets: ["Mammography"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "COpenJPEG", path: "Sources/COpenJPEG"),
        .systemLibrary(name: "CCharLS", path: "Sources/CCharLS"),
        // Open MPI's headers live outside the default include path; its pkg-config file finds them.
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c"),
        // libjpeg reports errors by longjmp, which Swift cannot catch: a little C turns them into statuses.
        .target(name: "CJPEGTurbo", linkerSettings: [.linkedLibrary("jpeg")]),
        // Removes in-flight temporary files when a signal ends the process (async-signal-safe, hence C).
        .target(name: "CInterruptCleanup"),
        .target(name: "Engine", dependencies: ["CInterruptCleanup"]),
        // Winograd's activation transforms in AVX2 + FMA, picked at run time (Swift's SIMD8 is SSE on baseline x86-64).
        .target(name: "CWinogradKernels"),
        // Thin 3×3 convolutions (< 8 channels out) in AVX2 + FMA: oneDNN pads their channels to 8.
        .target(name: "CThinConvolution"),
        .target(name: "DNNLBackend", dependencies: ["Engine", "CDNNL", "CWinogradKernels", "CThinConvolution"]),
        .target(name: "ImageCodecs", dependencies: ["COpenJPEG", "CCharLS", "CJPEGTurbo"]),
        .target(name: "MammoData", dependencies: ["Engine", "ImageCodecs", "CPNG", "CZlib"]),
        .target(name: "Mammography", dependencies: ["Engine", "MammoData"]),
        .target(name: "MessagePassing", dependencies: ["Engine", "CMPI"], exclude: ["README.md"]),
        // `mammoseg serve`: the web viewer (worklist, four-view reading, probability overlay); the page is embedded.
        .target(name: "MammoServer", dependencies: [
            "Mammography", "MammoData", "Engine",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], exclude: ["README.md"], resources: [.embedInCode("Page")]),
        .executableTarget(name: "mammoseg", dependencies: [
            "Mammography", "MammoData", "Engine", "DNNLBackend", "MammoServer", "MessagePassing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "DNNLBackend"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MammoDataTests", dependencies: ["MammoData"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "MammographyTests", dependencies: ["Mammography", "Engine", "DNNLBackend", "MammoData"],
                    resources: [.copy("Fixtures")]),
        // Spawns the built `mammoseg` executable (swift test builds it) to test the CLI end to end.
        .testTarget(name: "CLITests", dependencies: ["Mammography", "Engine", "MammoData"]),
        // Spawns `mammoseg serve` and talks to it over loopback: security, load, and the page in Chromium (Playwright).
        .testTarget(name: "ViewerTests", dependencies: ["Mammography", "Engine", "MammoData"], resources: [.copy("Browser")]),
    ],
    swiftLanguageModes: [.v5]
)
