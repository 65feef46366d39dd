import Foundation
import Hummingbird
import Logging
import NIOCore
import MammoData
import Mammography

/// `mammoseg serve`: scans the images, starts the background predictions and serves the page and its API.
public final class ViewerServer {
    let configuration: ViewerConfiguration
    let catalog: ImageCatalog
    let cache: ViewerCache
    let worker: PredictionWorker
    let routes: ViewerRoutes

    /// `makePredictor` and `preprocessing` give what `predict` would use (nil preprocessing: images run as given);
    /// the predictor is made on the thread that runs it.
    public init(configuration: ViewerConfiguration, preprocessing: Preprocessing?,
                makePredictor: @escaping @Sendable () throws -> Predictor) throws {
        self.configuration = configuration
        catalog = try ImageCatalog(folder: configuration.imagesFolder, modelIdentity: configuration.modelIdentity)
        try FileManager.default.createDirectory(atPath: configuration.stateFolder, withIntermediateDirectories: true)
        guard let state = ContainedPath.resolve(configuration.stateFolder) else {
            throw DataError(file: configuration.stateFolder, "cannot be created; choose a writable --state")
        }
        guard state != catalog.root, !state.hasPrefix(catalog.root + "/") else {
            throw DataError(file: configuration.stateFolder, "lies inside --images; choose a --state folder outside the images")
        }
        cache = try ViewerCache(root: state)
        let displays = DisplayBuilder(cache: cache, maxSide: configuration.displayMaxSide)
        worker = PredictionWorker(makePredictor: makePredictor, preprocessing: preprocessing, catalog: catalog, cache: cache, displays: displays)
        routes = ViewerRoutes(catalog: catalog, cache: cache, displays: displays, worker: worker, configuration: configuration)
    }

    /// How many images the scan found.
    public var imageCount: Int { catalog.ids.count }

    /// Serves until SIGINT or SIGTERM; `onListening` gets the address once the socket is bound (the port, if 0 was asked, is the one picked).
    public func run(onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void) async throws {
        worker.start()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ResponseHardening(hiddenPaths: [(catalog.root, "DIR"), (cache.root, "state"),
                                                               (configuration.imagesFolder, "DIR"), (configuration.stateFolder, "state")]))
        routes.install(on: router)
        var logger = Logger(label: "mammoseg-serve")
        logger.logLevel = .warning
        let host = configuration.host
        // Connections idle for 30 s (no request, or a body that stopped arriving) are closed; a request
        // waiting for its prediction is not idle.
        let app = Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(30))),
                              configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
                              onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? 0) },
                              logger: logger)
        try await app.runService()
    }
}
